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

  /**
   * The extra lines of {@code -d}, as iproute2 6.1 prints them on Linux 6.18: {@code promiscuity
   * …}, the kind's attributes, a bridge port's {@code bridge_slave} attributes, then the generic
   * ones (queues as the host's CPU count for a veth, GSO/TSO/GRO limits). Bridge timers are those
   * of a bridge without STP: {@code 0.00}.
   */
  static String details(Link l) {
    boolean port = l.master().isPresent();
    String common =
        " promiscuity "
            + (port ? "1  allmulti 1" : "0  allmulti 0")
            + " minmtu "
            + (l instanceof Loopback ? "0" : "68")
            + " maxmtu "
            + (l instanceof Loopback ? "0" : l instanceof Ipip ? "65515" : "65535")
            + " ";
    String kind =
        switch (l) {
          case Bridge b -> "\n    bridge " + bridgeOptions(b);
          case Veth v -> "\n    veth ";
          case Vxlan x ->
              "\n    vxlan id "
                  + x.vni()
                  + x.remote().map(r -> " remote " + r).orElse("")
                  + x.local().map(r -> " local " + r).orElse("")
                  + x.underlay().map(d -> " dev " + d).orElse("")
                  + " srcport 0 0 dstport "
                  + x.dstPort()
                  + " ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ";
          case Loopback lo -> "";
          case Ipip t ->
              // iproute2's iptunnel_print_opt: the fallback device's protocol is 0 ("any")
              "\n    ipip "
                  + (t.fallback() ? "any" : "ipip")
                  + " remote "
                  + t.remote().map(Object::toString).orElse("any")
                  + " local "
                  + t.local().map(Object::toString).orElse("any")
                  + (t.ttl() == 0 ? " ttl inherit " : " ttl " + t.ttl() + " ")
                  + (t.pmtudisc() ? "pmtudisc " : "nopmtudisc ");
          default -> "\n    " + l.kind().ipName() + " ";
        };
    String slave = port ? "\n    bridge_slave " + portOptions(l) : "";
    int queues = l instanceof Veth ? ((NetNamespace) l.namespace()).host().cpus() : 1;
    return common
        + kind
        + slave
        + "addrgenmode eui64 numtxqueues "
        + queues
        + " numrxqueues "
        + queues
        + " gso_max_size 65536 gso_max_segs 65535 tso_max_size "
        // tunnels do not raise the legacy TSO limit (vxlan seen on 6.18; ipip not checked)
        + (l instanceof Vxlan || l instanceof Ipip ? "65536" : "524280")
        + " tso_max_segs 65535 gro_max_size 65536 ";
  }

  private static String bridgeId(Bridge b) {
    return "8000." + b.mac();
  }

  private static String bridgeOptions(Bridge b) {
    return "forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0"
        + " priority 32768 vlan_filtering 0 bridge_id "
        + bridgeId(b)
        + " designated_root "
        + bridgeId(b)
        + " root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0"
        + " hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00"
        + " group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1"
        + " no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0"
        + " mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096"
        + " mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100"
        + " mcast_membership_interval 26000 mcast_querier_interval 25500"
        + " mcast_query_interval 12500 mcast_query_response_interval 1000"
        + " mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2"
        + " mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ";
  }

  private static String portOptions(Link l) {
    Bridge b = l.master().orElseThrow();
    int portNo = b.ports().indexOf(l) + 1;
    return "state "
        + (l.running() ? "forwarding" : "disabled")
        + " priority 32 cost 2 hairpin "
        + (l.hairpin() ? "on" : "off")
        + " guard off root_block off fastleave off learning "
        + (l.learning() ? "on" : "off")
        + " flood on port_id 0x"
        + Integer.toHexString(0x8000 + portNo)
        + " port_no 0x"
        + Integer.toHexString(portNo)
        + " designated_port "
        + (0x8000 + portNo)
        + " designated_cost 0 designated_bridge "
        + bridgeId(b)
        + " designated_root "
        + bridgeId(b)
        + " hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00"
        + " topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off"
        + " mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on"
        + " mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0"
        + " vlan_tunnel off isolated off locked off ";
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
