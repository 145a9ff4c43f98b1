package dev.podpath.shell.lab;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.lab.LabWorld.Place;
import dev.podpath.shell.lab.LabWorld.ProbeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The commands of a lab: its own ({@code host}, {@code serve}, {@code probe}, …) and the tools. */
final class Commands {

  static final int MAX_COUNT = 100_000;
  private static final Pattern NIC = Pattern.compile("^([^=\\s]+)=(\\S+)/(\\d+)$");
  private static final Pattern BRACKETED = Pattern.compile("^\\[([^\\]]+)\\](?::(\\d+))?$");

  private final LabRun run;

  Commands(LabRun run) {
    this.run = run;
  }

  ToolResult dispatch(List<String> args, Place place, Optional<String> stdin, boolean top) {
    String name = args.get(0);
    List<String> rest = args.subList(1, args.size());
    if (List.of("host", "serve", "probe", "trace").contains(name) && !top) {
      throw run.error("'" + name + "' is a lab command; it cannot run inside 'ip netns exec'");
    }
    return switch (name) {
      case "host" -> host(rest);
      case "serve" -> serve(rest);
      case "probe" -> probe(rest, place, String.join(" ", args));
      case "ping" -> ping(rest, place, String.join(" ", args));
      case "trace" -> trace();
      case "echo" -> echo(rest);
      case "expect" -> throw run.error("'expect' cannot run inside 'ip netns exec'");
      default -> {
        if (Prescan.isNetnsExec(args)) {
          yield netnsExec(args, place, stdin);
        }
        if (!run.world().knowsTool(name)) {
          throw run.error("unknown command '" + name + "'");
        }
        yield run.world().run(place, args, stdin);
      }
    };
  }

  private ToolResult netnsExec(List<String> args, Place place, Optional<String> stdin) {
    if (args.size() < 4) {
      return ToolResult.error(1, "No netns name specified");
    }
    String ns = args.get(3);
    if (!run.world().hasNamespace(place.host(), ns)) {
      return ToolResult.error(
          255, "Cannot open network namespace \"" + ns + "\": No such file or directory");
    }
    if (args.size() < 5) {
      return ToolResult.error(1, "No command specified");
    }
    return dispatch(
        args.subList(4, args.size()), new Place(place.host(), Optional.of(ns)), stdin, false);
  }

  /** {@code echo VALUE > /proc/sys/…}: like a shell, the file is opened on the current host. */
  ToolResult redirect(List<String> args, Optional<String> stdin, String path, boolean append) {
    List<String> inner = args;
    Place place = Place.root(run.currentHost());
    while (Prescan.isNetnsExec(inner) && inner.size() >= 4) {
      inner = inner.subList(4, inner.size());
    }
    if (inner.isEmpty() || !inner.get(0).equals("echo")) {
      throw run.error("output redirection is only supported as 'echo VALUE > /proc/sys/...'");
    }
    ToolResult r = dispatch(args, place, stdin, true);
    if (r.exitCode() != 0) {
      return r;
    }
    return run.world().writeFile(place, path, r.stdout(), append);
  }

  private static ToolResult echo(List<String> args) {
    boolean newline = true;
    List<String> words = args;
    if (!words.isEmpty() && words.get(0).equals("-n")) {
      newline = false;
      words = words.subList(1, words.size());
    }
    return ToolResult.ok(String.join(" ", words) + (newline ? "\n" : ""));
  }

  // ---- host -----------------------------------------------------------------------------------

  private ToolResult host(List<String> args) {
    if (args.isEmpty()) {
      throw run.error("host: missing NAME (expected 'host NAME [IFACE=ADDR/LEN]... [gw ADDR]')");
    }
    String name = args.get(0);
    if (name.contains("/") || name.contains("=")) {
      throw run.error("host: bad host name '" + name + "'");
    }
    record Nic(String iface, IpAddress address, int length) {}
    var nics = new ArrayList<Nic>();
    Optional<IpAddress> gw = Optional.empty();
    for (int k = 1; k < args.size(); k++) {
      String a = args.get(k);
      if (a.equals("gw")) {
        if (k + 1 >= args.size()) {
          throw run.error("host: 'gw' needs an address");
        }
        gw = Optional.of(address(args.get(++k), "host: bad gateway address"));
        continue;
      }
      Matcher m = NIC.matcher(a);
      if (!m.matches()) {
        throw run.error("host: expected IFACE=ADDR/LEN or 'gw ADDR', got '" + a + "'");
      }
      IpAddress addr = address(m.group(2), "host: bad address");
      int len = Integer.parseInt(m.group(3));
      try {
        new IpPrefix(addr, len);
      } catch (IllegalArgumentException e) {
        throw run.error("host: bad address '" + m.group(2) + "/" + len + "'");
      }
      if (m.group(1).length() > 15) {
        throw run.error("host: interface name '" + m.group(1) + "' is longer than 15 characters");
      }
      nics.add(new Nic(m.group(1), addr, len));
    }
    try {
      if (!run.world().hasHost(name)) {
        run.world().createHost(name);
      }
      for (Nic nic : nics) {
        run.world().addNic(name, nic.iface(), nic.address(), nic.length());
      }
      if (gw.isPresent()) {
        run.world().addDefaultRoute(name, gw.get());
      }
    } catch (LabWorld.SetupException e) {
      throw run.error("host " + name + ": " + e.getMessage());
    }
    run.currentHost(name);
    return ToolResult.ok();
  }

  private IpAddress address(String text, String what) {
    try {
      return IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw run.error(what + " '" + text + "'");
    }
  }

  // ---- serve ------------------------------------------------------------------------------------

  private ToolResult serve(List<String> args) {
    if ((args.size() != 2 && args.size() != 4)
        || !List.of("tcp", "udp").contains(args.get(0))
        || (args.size() == 4 && !args.get(2).equals("in"))) {
      throw run.error("serve: expected 'serve tcp|udp PORT [in NS]'");
    }
    Protocol proto = args.get(0).equals("tcp") ? Protocol.TCP : Protocol.UDP;
    int port = port(args.get(1), "serve");
    Place place = args.size() == 4 ? run.resolve(args.get(3)) : Place.root(run.currentHost());
    return run.world().serve(place, proto, port);
  }

  private int port(String v, String what) {
    try {
      return Expectation.parsePort(v, what);
    } catch (IllegalArgumentException e) {
      throw run.error(e.getMessage());
    }
  }

  // ---- probe, ping, trace
  // -------------------------------------------------------------------------

  private ToolResult probe(List<String> args, Place context, String text) {
    String usage =
        "probe: expected 'probe tcp|udp|icmp [from NS] [src ADDR] [sport PORT] to ADDR[:PORT] [count N|explore]'";
    if (args.isEmpty() || !List.of("tcp", "udp", "icmp").contains(args.get(0))) {
      throw run.error(usage);
    }
    Protocol proto = Protocol.find(args.get(0)).orElseThrow();
    Optional<String> from = Optional.empty();
    Optional<IpAddress> src = Optional.empty();
    Optional<Integer> sport = Optional.empty();
    Optional<String> to = Optional.empty();
    int count = 1;
    boolean explore = false;
    for (int k = 1; k < args.size(); k++) {
      String a = args.get(k);
      if (a.equals("explore")) {
        explore = true;
        continue;
      }
      if (!List.of("from", "src", "sport", "to", "count").contains(a)) {
        throw run.error("probe: unexpected '" + a + "'; " + usage.substring("probe: ".length()));
      }
      if (k + 1 >= args.size()) {
        throw run.error("probe: '" + a + "' needs a value");
      }
      String v = args.get(++k);
      switch (a) {
        case "from" -> from = Optional.of(v);
        case "src" -> src = Optional.of(address(v, "probe: bad source address"));
        case "sport" -> sport = Optional.of(port(v, "probe sport"));
        case "count" -> count = count(v, "probe: bad count");
        default -> to = Optional.of(v);
      }
    }
    if (to.isEmpty()) {
      throw run.error("probe: missing 'to ADDR[:PORT]'");
    }
    String t = to.get();
    Place source = from.map(run::resolve).orElse(context);
    Optional<LabWorld.Target> target;
    try {
      target =
          IpAddress.isValid(Places.hostPart(t)) ? Optional.empty() : run.world().target(t, source);
    } catch (LabWorld.SetupException e) {
      throw run.error("probe to " + t + ": " + e.getMessage());
    }
    if (target.isPresent()) {
      Optional<Integer> tport = target.get().port();
      if (proto != Protocol.ICMP && tport.isEmpty()) {
        throw run.error("probe " + args.get(0) + ": 'to " + t + "' needs a port (" + t + ":PORT)");
      }
      var spec =
          new ProbeSpec(
              proto,
              src,
              sport,
              target.get().address(),
              proto == Protocol.ICMP ? Optional.empty() : tport,
              count,
              explore,
              run.line());
      return runProbe(source, spec, text);
    }
    if (t.startsWith("pod/") || t.startsWith("svc/")) {
      throw run.error(
          "probe to " + t + ": Kubernetes endpoints need a cluster (run 'cluster' first)");
    }
    String addr;
    Optional<String> portText;
    Matcher m = BRACKETED.matcher(t);
    if (m.matches()) {
      addr = m.group(1);
      portText = Optional.ofNullable(m.group(2));
    } else if (t.chars().filter(c -> c == ':').count() == 1) {
      addr = t.substring(0, t.indexOf(':'));
      portText = Optional.of(t.substring(t.indexOf(':') + 1));
    } else {
      addr = t;
      portText = Optional.empty();
    }
    if (!IpAddress.isValid(addr)) {
      throw run.error(
          addr.matches("[A-Za-z0-9.-]+")
              ? "probe to "
                  + addr
                  + ": a DNS name needs a cluster (run 'cluster' first); otherwise use an address"
              : "probe: bad address '" + addr + "'");
    }
    Optional<Integer> port = Optional.empty();
    if (proto != Protocol.ICMP) {
      if (portText.isEmpty()) {
        throw run.error("probe " + args.get(0) + ": 'to' needs ADDR:PORT");
      }
      port = Optional.of(port(portText.get(), "probe"));
    }
    var spec =
        new ProbeSpec(proto, src, sport, IpAddress.parse(addr), port, count, explore, run.line());
    return runProbe(source, spec, text);
  }

  private int count(String v, String what) {
    try {
      int c = Integer.parseInt(v);
      if (c > 0 && c <= MAX_COUNT) {
        return c;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw run.error(what + " '" + v + "' (expected 1.." + MAX_COUNT + ")");
  }

  private ToolResult ping(List<String> args, Place context, String text) {
    int count = 1;
    Optional<String> dest = Optional.empty();
    for (int k = 0; k < args.size(); k++) {
      String a = args.get(k);
      if (List.of("-c", "-W", "-w", "-i", "-s", "-t").contains(a)) {
        if (k + 1 >= args.size()) {
          throw run.error("ping: " + a + " needs a value");
        }
        String v = args.get(++k);
        if (a.equals("-c")) {
          count = count(v, "ping: bad count");
        }
      } else if (a.matches("-c\\d+")) {
        count = count(a.substring(2), "ping: bad count");
      } else if (List.of("-q", "-n", "-4", "-v").contains(a)) {
        continue;
      } else if (a.startsWith("-")) {
        throw run.error("ping: option " + a + " is not supported");
      } else if (dest.isPresent()) {
        throw run.error("ping: more than one destination");
      } else {
        dest = Optional.of(a);
      }
    }
    if (dest.isEmpty()) {
      throw run.error("ping: missing destination");
    }
    IpAddress addr =
        address(dest.get(), "ping: bad address (DNS names are not supported in lab files yet)");
    var spec =
        new ProbeSpec(
            Protocol.ICMP,
            Optional.empty(),
            Optional.empty(),
            addr,
            Optional.empty(),
            count,
            false,
            run.line());
    return runProbe(context, spec, text);
  }

  private ToolResult runProbe(Place source, ProbeSpec spec, String text) {
    List<Attempt> attempts;
    try {
      attempts = run.world().probe(source, spec);
    } catch (LabWorld.SetupException e) {
      throw run.error(e.getMessage());
    }
    var report =
        new ProbeReport(run.file(), run.line(), text, spec.protocol(), spec.explore(), attempts);
    run.lastProbe(report);
    if (run.format() == LabRun.Format.JSON) {
      run.out().println(Json.probe(report));
      return ToolResult.ok();
    }
    return ToolResult.ok(
        run.file() + ":" + run.line() + ": " + text + ": " + report.summary() + "\n");
  }

  private ToolResult trace() {
    Optional<ProbeReport> p = run.lastProbe();
    if (p.isEmpty()) {
      return ToolResult.ok("trace: no probe yet\n");
    }
    if (run.format() == LabRun.Format.JSON) {
      run.out().println(TraceRender.json(p.get()));
      return ToolResult.ok();
    }
    return ToolResult.ok(TraceRender.text(p.get()));
  }
}
