package dev.podpath.shell.ipvsadm;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.ipvs.Destination;
import dev.podpath.kernel.ipvs.ForwardMethod;
import dev.podpath.kernel.ipvs.Ipvs;
import dev.podpath.kernel.ipvs.IpvsConnection;
import dev.podpath.kernel.ipvs.IpvsException;
import dev.podpath.kernel.ipvs.Scheduler;
import dev.podpath.kernel.ipvs.ServiceInfo;
import dev.podpath.kernel.ipvs.ServiceKey;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.shell.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ipvsadm} as ipvsadm(8) of version 1.31 documents it, over a namespace's IPVS: {@code -A -E
 * -D -C} for virtual services ({@code -t|-u ADDR:PORT}, {@code -f MARK}, {@code -s SCHED}, {@code
 * -p [TIMEOUT]}), {@code -a -e -d} for real servers ({@code -r ADDR[:PORT]}, {@code -g|-i|-m},
 * {@code -w WEIGHT}), {@code -L|-l [-n] [-c] [--stats] [--rate]}, {@code -S [-n]} and {@code -R}
 * (rules from standard input), {@code --set TCP TCPFIN UDP} and {@code -L --timeout}. Output and
 * messages are ipvsadm's; a command that fails exits 255 (2 for a bad command line) and changes
 * nothing.
 */
public final class IpvsadmTool {

  static final String HEADER = "IP Virtual Server version 1.2.1 (size=4096)\n";
  static final String DEFAULT_SCHEDULER = "wlc";

  private IpvsadmTool() {}

  /** A bad command line: ipvsadm prints the message and exits 2. */
  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message);
    }
  }

  public static ToolResult run(NetNamespace ns, List<String> argv, Optional<String> stdin) {
    var out = new StringBuilder();
    try {
      Options o = Options.parse(argv.subList(1, argv.size()));
      if (o.command() == Command.RESTORE) {
        int n = 0;
        for (String line : stdin.orElse("").split("\n")) {
          n++;
          String t = line.strip();
          if (t.isEmpty() || t.startsWith("#")) {
            continue;
          }
          Options r = Options.parse(List.of(t.split("\\s+")));
          execute(ns.ipvs(), r, out, ns.clock().nanos());
        }
        return ToolResult.ok(out.toString());
      }
      execute(ns.ipvs(), o, out, ns.clock().nanos());
      return ToolResult.ok(out.toString());
    } catch (Usage e) {
      return new ToolResult(2, out.toString(), e.getMessage() + "\n");
    } catch (IpvsException e) {
      return new ToolResult(255, out.toString(), e.getMessage() + "\n");
    }
  }

  enum Command {
    ADD_SERVICE,
    EDIT_SERVICE,
    DELETE_SERVICE,
    CLEAR,
    ADD_SERVER,
    EDIT_SERVER,
    DELETE_SERVER,
    LIST,
    SAVE,
    RESTORE,
    ZERO,
    SET
  }

  private static void execute(Ipvs ipvs, Options o, StringBuilder out, long now) {
    switch (o.command()) {
      case ADD_SERVICE -> ipvs.addService(o.service(), scheduler(o), o.persistence(), o.netmask());
      case EDIT_SERVICE -> {
        ServiceInfo current = find(ipvs, o.service());
        ipvs.editService(
            o.service(),
            o.scheduler().isPresent()
                ? scheduler(o)
                : Scheduler.find(current.scheduler()).orElseThrow(),
            o.persistence(),
            o.netmask());
      }
      case DELETE_SERVICE -> ipvs.deleteService(o.service());
      case CLEAR -> ipvs.clear();
      case ADD_SERVER ->
          ipvs.addServer(o.service(), o.server(), o.serverPort(), o.method(), o.weight().orElse(1));
      case EDIT_SERVER -> {
        Destination d =
            find(ipvs, o.service()).destinations().stream()
                .filter(x -> x.address().equals(o.server()) && x.port() == o.serverPort())
                .findFirst()
                .orElseThrow(() -> new IpvsException("No such destination"));
        ipvs.editServer(
            o.service(),
            o.server(),
            o.serverPort(),
            o.methodGiven() ? o.method() : d.method(),
            o.weight().orElse(d.weight()));
      }
      case DELETE_SERVER -> ipvs.deleteServer(o.service(), o.server(), o.serverPort());
      case SET -> setTimeouts(ipvs, o.timeoutValues());
      case LIST -> {
        if (o.timeout()) {
          Ipvs.Timeouts t = ipvs.timeouts();
          out.append(
              String.format(
                  Locale.ROOT,
                  "Timeout (tcp tcpfin udp): %d %d %d%n",
                  t.tcp().toSeconds(),
                  t.tcpFin().toSeconds(),
                  t.udp().toSeconds()));
        } else if (!o.daemon()) {
          // --daemon lists the running sync daemons: a lab never starts one, so nothing
          list(ipvs, o, out, now);
        }
      }
      case SAVE -> save(ipvs, o, out);
      case ZERO, RESTORE -> {}
    }
  }

  /**
   * {@code ipvsadm --set TCP TCPFIN UDP}: seconds, where the kernel ({@code ip_vs_set_timeout})
   * keeps the current value for a zero.
   */
  private static void setTimeouts(Ipvs ipvs, List<Integer> seconds) {
    Ipvs.Timeouts t = ipvs.timeouts();
    ipvs.setTimeouts(
        new Ipvs.Timeouts(
            seconds.get(0) == 0 ? t.tcp() : Duration.ofSeconds(seconds.get(0)),
            seconds.get(1) == 0 ? t.tcpFin() : Duration.ofSeconds(seconds.get(1)),
            seconds.get(2) == 0 ? t.udp() : Duration.ofSeconds(seconds.get(2))));
  }

  private static Scheduler scheduler(Options o) {
    String name = o.scheduler().orElse(DEFAULT_SCHEDULER);
    return Scheduler.find(name).orElseThrow(() -> new IpvsException("Scheduler not found"));
  }

  private static ServiceInfo find(Ipvs ipvs, ServiceKey key) {
    return ipvs.services().stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new IpvsException("No such service"));
  }

  // ---- output ---------------------------------------------------------------------------------

  private static void list(Ipvs ipvs, Options o, StringBuilder out, long now) {
    if (o.connections()) {
      out.append("IPVS connection entries\n");
      out.append("pro expire state       source             virtual            destination\n");
      for (IpvsConnection c : ipvs.connections()) {
        long secs = Math.max(0, (c.expiresNanos() - now) / 1_000_000_000L);
        out.append(
            String.format(
                Locale.ROOT,
                "%-3s %02d:%02d  %-11s %-18s %-18s %s%n",
                c.protocol().name(),
                secs / 60,
                secs % 60,
                "ESTABLISHED",
                endpoint(c.client(), c.clientPort(), c.protocol(), o.numeric()),
                endpoint(c.virtualAddress(), c.virtualPort(), c.protocol(), o.numeric()),
                endpoint(c.destination(), c.destinationPort(), c.protocol(), o.numeric())));
      }
      return;
    }
    List<ServiceInfo> services =
        o.nosort() ? new ArrayList<>(ipvs.services()) : ListingOrder.services(ipvs.services());
    if (o.serviceGiven()) {
      services = List.of(find(ipvs, o.service()));
    } else {
      out.append(HEADER);
    }
    if (o.stats() || o.rate()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
              "Prot LocalAddress:Port",
              o.stats() ? "Conns" : "CPS",
              o.stats() ? "InPkts" : "InPPS",
              o.stats() ? "OutPkts" : "OutPPS",
              o.stats() ? "InBytes" : "InBPS",
              o.stats() ? "OutBytes" : "OutBPS"));
    } else {
      out.append("Prot LocalAddress:Port Scheduler Flags\n");
      out.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    }
    for (ServiceInfo s : services) {
      String name = serviceName(s.key(), o.numeric());
      if (o.stats() || o.rate()) {
        out.append(String.format(Locale.ROOT, "%-33s%9d%9d%9d%9d%9d%n", name, 0, 0, 0, 0, 0));
      } else {
        out.append(name).append(' ').append(s.scheduler());
        s.persistenceSeconds().ifPresent(p -> out.append(" persistent ").append(p));
        if (s.persistenceSeconds().isPresent() && s.persistenceMask() != 32) {
          out.append(" mask ").append(mask(s.persistenceMask()));
        }
        out.append('\n');
      }
      for (Destination d : destinations(s, o)) {
        if (o.stats() || o.rate()) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  -> %-28s%9d%9d%9d%9d%9d%n",
                  destination(s, d, o.numeric()),
                  0,
                  0,
                  0,
                  0,
                  0));
        } else {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  -> %-28s %-7s %-6d %-10d %-10d%n",
                  destination(s, d, o.numeric()),
                  d.method().listed(),
                  d.weight(),
                  d.activeConns(),
                  d.inactiveConns()));
        }
      }
    }
  }

  private static void save(Ipvs ipvs, Options o, StringBuilder out) {
    for (ServiceInfo s : o.nosort() ? ipvs.services() : ListingOrder.services(ipvs.services())) {
      var sb =
          new StringBuilder("-A ")
              .append(option(s.key(), o.numeric()))
              .append(" -s ")
              .append(s.scheduler());
      s.persistenceSeconds().ifPresent(p -> sb.append(" -p ").append(p));
      if (s.persistenceSeconds().isPresent() && s.persistenceMask() != 32) {
        sb.append(" -M ").append(mask(s.persistenceMask()));
      }
      out.append(sb).append('\n');
      for (Destination d : destinations(s, o)) {
        out.append("-a ")
            .append(option(s.key(), o.numeric()))
            .append(" -r ")
            .append(destination(s, d, o.numeric()))
            .append(' ')
            .append(d.method().flag())
            .append(" -w ")
            .append(d.weight())
            .append('\n');
      }
    }
  }

  static String serviceName(ServiceKey key, boolean numeric) {
    return switch (key) {
      case ServiceKey.Inet i -> {
        String name =
            (i.protocol() == Protocol.TCP ? "TCP" : i.protocol() == Protocol.UDP ? "UDP" : "SCTP")
                + "  "
                + endpoint(i.address(), i.port(), i.protocol(), numeric);
        yield i.address().family() == IpFamily.IPV4 && name.length() > 33
            ? name.substring(0, 33)
            : name;
      }
      case ServiceKey.Fwmark f ->
          "FWM  "
              + Integer.toUnsignedString(f.mark())
              + (f.family() == IpFamily.IPV6 ? " IPv6" : "");
    };
  }

  /**
   * {@code ADDR:PORT} as ipvsadm's {@code addrport_to_anyname} writes it: with {@code -n} the
   * number, else the port's service name from {@code /etc/services} (addresses stay numeric: the
   * lab has no reverse DNS, where {@code gethostbyaddr} would fall back to the number too).
   */
  static String endpoint(IpAddress a, int port, Protocol protocol, boolean numeric) {
    return (a.family() == IpFamily.IPV6 ? "[" + a + "]" : a.toString())
        + ":"
        + (numeric ? Integer.toString(port) : PortNames.of(port, protocol == Protocol.TCP));
  }

  private static List<Destination> destinations(ServiceInfo s, Options o) {
    return o.nosort() ? s.destinations() : ListingOrder.destinations(s.destinations());
  }

  /** A real server of {@code s}, named by its service's protocol. */
  static String destination(ServiceInfo s, Destination d, boolean numeric) {
    Protocol p = s.key() instanceof ServiceKey.Inet i ? i.protocol() : Protocol.UDP;
    return endpoint(d.address(), d.port(), p, numeric);
  }

  /** The service option of {@code -S} output: {@code -t ADDR:PORT}, {@code -u …}, {@code -f M}. */
  static String option(ServiceKey key, boolean numeric) {
    return switch (key) {
      case ServiceKey.Inet i ->
          key.option().substring(0, key.option().indexOf(' ') + 1)
              + endpoint(i.address(), i.port(), i.protocol(), numeric);
      case ServiceKey.Fwmark f -> key.option();
    };
  }

  static String mask(int length) {
    long m = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
    return ((m >> 24) & 255) + "." + ((m >> 16) & 255) + "." + ((m >> 8) & 255) + "." + (m & 255);
  }

  static ForwardMethod defaultMethod() {
    return ForwardMethod.GATE;
  }
}
