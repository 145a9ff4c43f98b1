package dev.podpath.shell.bridge;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.FdbEntry;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.ip.IpTool;
import java.util.List;
import java.util.Optional;

/**
 * {@code bridge [-d] link show [dev X]}, {@code bridge link set dev X hairpin|learning on|off},
 * {@code bridge fdb show [br B] [dev X]}, as iproute2 6.1's {@code bridge} prints them. The
 * forwarding database lists learned, static and local entries (not the multicast entries the real
 * kernel adds for IPv6 and IGMP memberships).
 */
public final class BridgeTool {

  private BridgeTool() {}

  public static ToolResult run(NetNamespace ns, List<String> argv) {
    int i = 1;
    boolean details = false;
    while (i < argv.size() && argv.get(i).startsWith("-")) {
      String o = argv.get(i++);
      if (o.equals("-d") || o.equals("-details")) {
        details = true;
      } else if (!(o.equals("-s") || o.equals("-stats") || o.equals("-c") || o.equals("-color"))) {
        return ToolResult.error(255, "Option \"" + o + "\" is unknown, try \"bridge help\".");
      }
    }
    if (i >= argv.size()) {
      return ToolResult.error(
          255,
          "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n"
              + "where  OBJECT := { link | fdb | mdb | vlan | vni | monitor }");
    }
    String object = argv.get(i++);
    List<String> rest = argv.subList(i, argv.size());
    if (matches(object, "link")) {
      return link(ns, rest, details);
    }
    if (matches(object, "fdb")) {
      return fdb(ns, rest);
    }
    return ToolResult.error(255, "Object \"" + object + "\" is unknown, try \"bridge help\".");
  }

  private static boolean matches(String word, String full) {
    return !word.isEmpty() && full.startsWith(word);
  }

  private static ToolResult link(NetNamespace ns, List<String> args, boolean details) {
    String verb = args.isEmpty() ? "show" : args.get(0);
    List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
    if (matches(verb, "show") || matches(verb, "list") || verb.equals("lst")) {
      Optional<String> dev = Optional.empty();
      for (int k = 0; k < rest.size(); k++) {
        if (rest.get(k).equals("dev") && k + 1 < rest.size()) {
          dev = Optional.of(rest.get(++k));
        }
      }
      if (dev.isPresent() && ns.findLink(dev.get()).isEmpty()) {
        return ToolResult.error(1, "Cannot find device \"" + dev.get() + "\"");
      }
      var out = new StringBuilder();
      for (Link l : ns.links()) {
        if (l.master().isEmpty() || dev.map(d -> !d.equals(l.name())).orElse(false)) {
          continue;
        }
        out.append(portLine(ns, l)).append('\n');
        if (details) {
          out.append("    hairpin ")
              .append(onOff(l.hairpin()))
              .append(" guard off root_block off fastleave off learning ")
              .append(onOff(l.learning()))
              .append(
                  " flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off"
                      + " vlan_tunnel off isolated off locked off \n");
        }
      }
      return ToolResult.ok(out.toString());
    }
    if (matches(verb, "set")) {
      Optional<String> dev = Optional.empty();
      Optional<Boolean> hairpin = Optional.empty();
      Optional<Boolean> learning = Optional.empty();
      for (int k = 0; k < rest.size(); k++) {
        String w = rest.get(k);
        if (k + 1 >= rest.size()) {
          return ToolResult.error(255, "Command line is not complete. Try option \"help\"");
        }
        String v = rest.get(++k);
        switch (w) {
          case "dev" -> dev = Optional.of(v);
          case "hairpin" -> hairpin = Optional.of(v.equals("on"));
          case "learning" -> learning = Optional.of(v.equals("on"));
          case "cost", "priority", "state", "guard", "fastleave", "root_block", "flood" -> {}
          default -> {
            return ToolResult.error(255, "Unknown option \"" + w + "\"");
          }
        }
        if ((w.equals("hairpin") || w.equals("learning")) && !v.equals("on") && !v.equals("off")) {
          return ToolResult.error(
              255, "Error: argument of \"" + w + "\" must be \"on\" or \"off\", not \"" + v + "\"");
        }
      }
      if (dev.isEmpty()) {
        return ToolResult.error(255, "Device is a required argument.");
      }
      Optional<Link> l = ns.findLink(dev.get());
      if (l.isEmpty()) {
        return ToolResult.error(255, "Cannot find bridge device \"" + dev.get() + "\"");
      }
      if (l.get().master().isEmpty()) {
        return ToolResult.error(255, "RTNETLINK answers: Operation not supported");
      }
      hairpin.ifPresent(l.get()::setHairpin);
      learning.ifPresent(l.get()::setLearning);
      return ToolResult.ok();
    }
    return ToolResult.error(255, "Command \"" + verb + "\" is unknown, try \"bridge link help\".");
  }

  /**
   * {@code 4: v1@v2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding
   * priority 32 cost 2 }.
   */
  static String portLine(NetNamespace ns, Link l) {
    String header = IpTool.linkHeader(ns, l);
    // "N: NAME: <FLAGS> mtu M ..." → keep index, name and flags
    int mtu = header.indexOf(" mtu ");
    String head = header.substring(0, mtu);
    return head
        + " mtu "
        + l.mtu()
        + " master "
        + l.master().map(Link::name).orElse("")
        + " state "
        + (l.running() && l.master().map(Link::adminUp).orElse(false) ? "forwarding" : "disabled")
        + " priority 32 cost 2 ";
  }

  private static String onOff(boolean b) {
    return b ? "on" : "off";
  }

  private static ToolResult fdb(NetNamespace ns, List<String> args) {
    String verb = args.isEmpty() ? "show" : args.get(0);
    if (!(matches(verb, "show") || matches(verb, "list"))) {
      return ToolResult.error(255, "Command \"" + verb + "\" is unknown, try \"bridge fdb help\".");
    }
    String brName = null;
    String devName = null;
    for (int k = 1; k + 1 < args.size(); k++) {
      if (args.get(k).equals("br")) {
        brName = args.get(++k);
      } else if (args.get(k).equals("dev")) {
        devName = args.get(++k);
      }
    }
    Optional<String> br = Optional.ofNullable(brName);
    Optional<String> dev = Optional.ofNullable(devName);
    if (br.isPresent() && ns.findLink(br.get()).isEmpty()) {
      return ToolResult.error(255, "Cannot find bridge device \"" + br.get() + "\"");
    }
    if (dev.isPresent() && ns.findLink(dev.get()).isEmpty()) {
      return ToolResult.error(255, "Cannot find device \"" + dev.get() + "\"");
    }
    // As rtnl_fdb_dump: device by device in ifindex order, a bridge's own entries on the bridge,
    // a port's entries (from its master's database) on the port, then a device's "self" entries.
    var out = new StringBuilder();
    for (Link l : ns.links()) {
      if (dev.map(d -> !d.equals(l.name())).orElse(false)) {
        continue;
      }
      Optional<Bridge> owner =
          l instanceof Bridge b
              ? Optional.of(b)
              : l.master().filter(Bridge.class::isInstance).map(Bridge.class::cast);
      if (br.isPresent() && owner.map(b -> !b.name().equals(br.get())).orElse(true)) {
        continue;
      }
      owner.ifPresent(
          b ->
              b.fdb().stream()
                  .filter(e -> e.device().equals(l.name()))
                  .forEach(e -> out.append(fdbLine(e, b, dev.isEmpty()))));
      if (l instanceof Vxlan v) {
        for (FdbEntry e : v.fdb()) {
          out.append(e.mac());
          if (dev.isEmpty()) {
            out.append(" dev ").append(v.name());
          }
          e.dst().ifPresent(d -> out.append(" dst ").append(d));
          out.append(" self permanent\n");
        }
      }
    }
    return ToolResult.ok(out.toString());
  }

  private static String fdbLine(FdbEntry e, Bridge b, boolean withDev) {
    return e.mac()
        + (withDev ? " dev " + e.device() : "")
        + " master "
        + b.name()
        + switch (e.kind()) {
          case LOCAL -> " permanent";
          case STATIC -> " static";
          case LEARNED -> " ";
        }
        + "\n";
  }
}
