package dev.podpath.shell.ip;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.Ipip;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.Loopback;
import dev.podpath.kernel.link.Veth;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.kernel.route.InterfaceAddress;
import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How iproute2 prints a device: the header line, the {@code link/ether} line, {@code -br}, {@code
 * -d}.
 */
final class LinkFormat {

  private LinkFormat() {}

  /**
   * {@code veth0@if7} for a veth whose peer is elsewhere, {@code veth0@veth1} in the same
   * namespace.
   */
  static String displayName(NetNamespace ns, Link l) {
    if (l instanceof Veth v) {
      Veth peer = v.peer();
      return peer.namespace() == ns
          ? l.name() + "@" + peer.name()
          : l.name() + "@if" + peer.ifindex();
    }
    if (l instanceof Ipip) {
      return l.name() + "@NONE"; // IFLA_LINK 0: no underlay device bound
    }
    return l.name();
  }

  static List<String> flags(NetNamespace ns, Link l) {
    var flags = new ArrayList<String>();
    if (l instanceof Loopback) {
      flags.add("LOOPBACK");
      if (l.adminUp()) {
        flags.add("UP");
        flags.add("LOWER_UP");
      }
      return flags;
    }
    flags.addAll(l.flags());
    // iproute2 prints M-DOWN when the device's link (a veth's peer) is here and down
    if (l instanceof Veth v && v.peer().namespace() == ns && !v.peer().adminUp()) {
      flags.add("M-DOWN");
    }
    return flags;
  }

  static String state(Link l) {
    if (l instanceof Loopback) {
      return l.adminUp() ? "UNKNOWN" : "DOWN";
    }
    return l.operState().name();
  }

  /**
   * The header line: {@code 2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue
   * master br0 state UP mode DEFAULT group default qlen 1000}.
   */
  static String header(NetNamespace ns, Link l, boolean withMode) {
    var sb = new StringBuilder();
    sb.append(l.ifindex())
        .append(": ")
        .append(displayName(ns, l))
        .append(": <")
        .append(String.join(",", flags(ns, l)))
        .append("> mtu ")
        .append(l.mtu())
        .append(" qdisc ")
        .append(qdisc(l));
    l.master().ifPresent(m -> sb.append(" master ").append(m.name()));
    sb.append(" state ").append(state(l));
    if (withMode) {
      sb.append(" mode DEFAULT");
    }
    sb.append(" group default qlen ").append(l.qlen());
    return sb.toString();
  }

  static String qdisc(Link l) {
    if (l instanceof Loopback) {
      return l.adminUp() ? "noqueue" : "noop";
    }
    return l.qdisc();
  }

  /** {@code link/ether MAC brd ff:ff:ff:ff:ff:ff [link-netns NS]}. */
  static String linkLine(NetNamespace ns, Link l) {
    if (l instanceof Loopback) {
      return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";
    }
    if (l instanceof Ipip t) {
      // the device address is the local endpoint, the broadcast address the remote one
      return "    link/ipip "
          + t.local().map(Object::toString).orElse("0.0.0.0")
          + (t.remote().isPresent() ? " peer " + t.remote().get() : " brd 0.0.0.0");
    }
    return "    link/ether "
        + l.mac()
        + " brd ff:ff:ff:ff:ff:ff"
        + netns(ns, l).map(n -> " link-netns " + n).orElse("");
  }

  static Optional<String> netns(NetNamespace ns, Link l) {
    return ns.linkNetns(l);
  }

  /** The extra line of {@code -d}: {@code promiscuity 0 …} and the kind's attributes. */
  static String details(Link l) {
    String common =
        " promiscuity 0  allmulti 0 minmtu "
            + (l instanceof Loopback ? "0" : "68")
            + " maxmtu "
            + (l instanceof Loopback ? "0" : l instanceof Ipip ? "65515" : "65535")
            + " ";
    String kind =
        switch (l) {
          case Bridge b ->
              "\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0"
                  + " priority 32768 vlan_filtering 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
          case Veth v -> "\n    veth addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
          case Vxlan x ->
              "\n    vxlan id "
                  + x.vni()
                  + x.remote().map(r -> " remote " + r).orElse("")
                  + x.local().map(r -> " local " + r).orElse("")
                  + x.underlay().map(d -> " dev " + d).orElse("")
                  + " srcport 0 0 dstport "
                  + x.dstPort()
                  + " ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx"
                  + " addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
          case Loopback lo -> " addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
          case Ipip t ->
              // iproute2's iptunnel_print_opt: the fallback device's protocol is 0 ("any")
              "\n    ipip "
                  + (t.fallback() ? "any" : "ipip")
                  + " remote "
                  + t.remote().map(Object::toString).orElse("any")
                  + " local "
                  + t.local().map(Object::toString).orElse("any")
                  + (t.ttl() == 0 ? " ttl inherit " : " ttl " + t.ttl() + " ")
                  + (t.pmtudisc() ? "pmtudisc" : "nopmtudisc")
                  + " addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
          default ->
              "\n    " + l.kind().ipName() + " addrgenmode eui64 numtxqueues 1 numrxqueues 1 ";
        };
    String port =
        l.master().isPresent()
            ? "\n    bridge_slave state "
                + (l.running() ? "forwarding" : "disabled")
                + " priority 32 cost 2 hairpin "
                + (l.hairpin() ? "on" : "off")
                + " learning "
                + (l.learning() ? "on" : "off")
                + " "
            : "";
    return common + port + kind;
  }

  /** {@code -br link}: {@code NAME STATE MAC <FLAGS>}. */
  static String briefLink(NetNamespace ns, Link l) {
    return String.format(
        "%-16s %-14s %s <%s> ",
        displayName(ns, l),
        state(l),
        l instanceof Loopback
            ? "00:00:00:00:00:00"
            : l instanceof Ipip t
                ? t.local().map(Object::toString).orElse("0.0.0.0")
                : l.mac().toString(),
        String.join(",", flags(ns, l)));
  }

  /** {@code -br addr}: {@code NAME STATE ADDR/LEN …}. */
  static String briefAddr(NetNamespace ns, Link l, List<InterfaceAddress> addrs) {
    var sb = new StringBuilder(String.format("%-16s %-14s ", displayName(ns, l), state(l)));
    for (InterfaceAddress a : addrs) {
      sb.append(a.prefix()).append(' ');
    }
    return sb.toString();
  }

  /** The lines of one address of {@code ip addr}. */
  static String addressLines(InterfaceAddress a) {
    var sb = new StringBuilder("    ");
    sb.append(a.family() == IpFamily.IPV4 ? "inet " : "inet6 ").append(a.prefix());
    a.broadcast().ifPresent(b -> sb.append(" brd ").append(b));
    sb.append(" scope ").append(a.scope().word());
    if (a.secondary()) {
      sb.append(" secondary");
    }
    if (a.family() == IpFamily.IPV4) {
      sb.append(' ').append(a.label());
    } else {
      sb.append(' ');
    }
    sb.append("\n       valid_lft forever preferred_lft forever\n");
    return sb.toString();
  }
}
