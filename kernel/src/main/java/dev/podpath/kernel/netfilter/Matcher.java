package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.conntrack.ConnStatus;
import dev.podpath.kernel.conntrack.ConntrackEntry;
import dev.podpath.kernel.ipset.IpSets;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.CtState;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Tuple;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Step;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a packet matches one {@link Match}, with the semantics of the kernel's match
 * modules (xt_tcpudp, xt_conntrack, xt_addrtype, xt_statistic, xt_physdev, xt_recent, xt_set, …).
 */
final class Matcher {

  private final RecentLists recent;
  private final IpSets sets;
  private final NfAcct nfacct;

  Matcher(RecentLists recent, IpSets sets, NfAcct nfacct) {
    this.recent = recent;
    this.sets = sets;
    this.nfacct = nfacct;
  }

  /** A match compiled for the hot path: no type switch per packet. */
  @FunctionalInterface
  interface Compiled {
    boolean test(PacketContext ctx, CompiledTable.CRule rule);
  }

  /** Whether every match of a rule holds, evaluated in order, stopping at the first that fails. */
  static boolean matchesAll(CompiledTable.CRule rule, PacketContext ctx) {
    for (Compiled m : rule.matches) {
      if (!m.test(ctx, rule)) {
        return false;
      }
    }
    return true;
  }

  /** Compiles one match of rule {@code number} of {@code table/chain}. */
  Compiled compile(Match m, String table, String chain, int number) {
    return switch (m) {
      case Match.Source s -> (ctx, r) -> s.prefix().contains(ctx.packet().src()) != s.inverted();
      case Match.Destination d ->
          (ctx, r) -> d.prefix().contains(ctx.packet().dst()) != d.inverted();
      case Match.Proto pr -> (ctx, r) -> pr.matches(ctx.packet().protocol());
      case Match.Fragment f -> (ctx, r) -> f.inverted();
      case Match.InInterface i -> (ctx, r) -> i.matches(ctx.inInterface().orElse(""));
      case Match.OutInterface o -> (ctx, r) -> o.matches(ctx.outInterface().orElse(""));
      case Match.Tcp t ->
          (ctx, r) -> {
            Packet p = ctx.packet();
            return p.protocol() == Protocol.TCP
                && ports(t.sourcePorts(), p.srcPort())
                && ports(t.destinationPorts(), p.dstPort())
                && t.flags().map(f -> f.apply(f.value().matches(p.tcpFlags()))).orElse(true);
          };
      case Match.Udp u ->
          (ctx, r) -> {
            Packet p = ctx.packet();
            return p.protocol() == Protocol.UDP
                && ports(u.sourcePorts(), p.srcPort())
                && ports(u.destinationPorts(), p.dstPort());
          };
      case Match.Sctp sc ->
          (ctx, r) -> {
            Packet p = ctx.packet();
            return p.protocol() == Protocol.SCTP
                && ports(sc.sourcePorts(), p.srcPort())
                && ports(sc.destinationPorts(), p.dstPort())
                && sc.chunks().map(c -> c.apply(c.value().matches(p.sctpChunks()))).orElse(true);
          };
      case Match.Icmp i ->
          (ctx, r) -> {
            Packet p = ctx.packet();
            return p.protocol() == Protocol.ICMP
                && i.type()
                    .map(t -> t.apply(t.value().matches(p.icmpType(), p.icmpCode())))
                    .orElse(true);
          };
      case Match.Icmp6 i ->
          (ctx, r) -> {
            Packet p = ctx.packet();
            return p.protocol() == Protocol.ICMPV6
                && i.type()
                    .map(t -> t.apply(t.value().matches(p.icmpType(), p.icmpCode())))
                    .orElse(true);
          };
      case Match.Multiport mp -> (ctx, r) -> multiport(mp, ctx.packet());
      case Match.Comment c -> (ctx, r) -> true;
      case Match.Mark mk -> (ctx, r) -> mk.matches(ctx.mark());
      case Match.ConnMark cm ->
          (ctx, r) -> ctx.connection().map(c -> cm.matches(c.mark())).orElse(false);
      case Match.Conntrack c -> (ctx, r) -> conntrack(c, ctx);
      case Match.State s -> (ctx, r) -> s.states().contains(state(ctx)) != s.inverted();
      case Match.AddrType a -> (ctx, r) -> addrtype(a, ctx);
      case Match.Statistic s -> {
        String where = table + "/" + chain + " rule " + number;
        yield (ctx, r) -> statistic(s, r, ctx, where);
      }
      case Match.Physdev pd -> (ctx, r) -> physdev(pd, ctx);
      case Match.Recent rc ->
          (ctx, r) -> recent.match(rc, ctx.packet().src(), ctx.packet().dst(), ctx.packet().ttl());
      case Match.Nfacct n ->
          (ctx, r) -> {
            nfacct.count(n.name(), ctx.packet().length());
            return true;
          };
      case Match.IpSet st -> {
        List<Boolean> fromSource =
            st.directions().stream().map(d -> d == Match.SetDirection.SRC).toList();
        yield (ctx, r) -> sets.matches(st.setName(), ctx.packet(), fromSource) != st.inverted();
      }
    };
  }

  private static boolean ports(Optional<Negatable<PortRange>> range, int port) {
    return range.map(r -> r.apply(r.value().contains(port))).orElse(true);
  }

  private static boolean multiport(Match.Multiport mp, Packet p) {
    if (!p.protocol().hasPorts()) {
      return false;
    }
    boolean hit = false;
    for (PortRange r : mp.ports()) {
      hit |=
          switch (mp.direction()) {
            case SOURCE -> r.contains(p.srcPort());
            case DESTINATION -> r.contains(p.dstPort());
            case EITHER -> r.contains(p.srcPort()) || r.contains(p.dstPort());
          };
    }
    return hit != mp.inverted();
  }

  /** The state bit xt_state and xt_conntrack see: INVALID without an entry. */
  private static CtState state(PacketContext ctx) {
    if (ctx.untracked()) {
      return CtState.UNTRACKED;
    }
    return ctx.connection().isEmpty() ? CtState.INVALID : ctx.ctState();
  }

  private static boolean conntrack(Match.Conntrack c, PacketContext ctx) {
    if (c.states().isPresent()) {
      Negatable<Set<CtState>> want = c.states().get();
      boolean hit = want.value().contains(state(ctx));
      if (ctx.connection().orElse(null) instanceof ConntrackEntry e) {
        hit |= want.value().contains(CtState.SNAT) && e.has(ConnStatus.SRC_NAT);
        hit |= want.value().contains(CtState.DNAT) && e.has(ConnStatus.DST_NAT);
      }
      if (!want.apply(hit)) {
        return false;
      }
    }
    if (ctx.connection().isEmpty() || ctx.untracked()) {
      return c.states().isPresent();
    }
    var conn = ctx.connection().get();
    Tuple o = conn.original();
    Tuple r = conn.reply();
    if (c.direction().isPresent()
        && (c.direction().get() == Match.CtDirection.REPLY) != ctx.replyDirection()) {
      return false;
    }
    if (!addr(c.originalSource(), o.src())
        || !addr(c.originalDestination(), o.dst())
        || !addr(c.replySource(), r.src())
        || !addr(c.replyDestination(), r.dst())) {
      return false;
    }
    if (c.protocol().isPresent()
        && !c.protocol().get().apply(o.protocol() == c.protocol().get().value())) {
      return false;
    }
    if (!ports(c.originalSourcePort(), o.srcPort())
        || !ports(c.originalDestinationPort(), o.dstPort())
        || !ports(c.replySourcePort(), r.srcPort())
        || !ports(c.replyDestinationPort(), r.dstPort())) {
      return false;
    }
    if (c.status().isPresent()) {
      Negatable<Set<Match.CtStatus>> want = c.status().get();
      boolean hit = false;
      if (conn instanceof ConntrackEntry e) {
        for (Match.CtStatus s : want.value()) {
          hit |=
              switch (s) {
                case NONE -> false;
                case EXPECTED -> e.has(ConnStatus.EXPECTED);
                case SEEN_REPLY -> e.has(ConnStatus.SEEN_REPLY);
                case ASSURED -> e.has(ConnStatus.ASSURED);
                case CONFIRMED -> e.has(ConnStatus.CONFIRMED);
              };
        }
      }
      return want.apply(hit);
    }
    return true;
  }

  private static boolean addr(Optional<Negatable<dev.podpath.net.IpPrefix>> want, IpAddress a) {
    return want.map(n -> n.apply(n.value().contains(a))).orElse(true);
  }

  private static boolean addrtype(Match.AddrType a, PacketContext ctx) {
    Optional<String> dev =
        a.limitIfaceIn()
            ? ctx.inInterface()
            : a.limitIfaceOut() ? ctx.outInterface() : Optional.empty();
    var view = ctx.namespace();
    if (a.sourceType().isPresent()) {
      AddressType t = view.addressType(ctx.packet().src(), dev);
      if (!a.sourceType().get().apply(a.sourceType().get().value().contains(t))) {
        return false;
      }
    }
    if (a.destinationType().isPresent()) {
      AddressType t = view.addressType(ctx.packet().dst(), dev);
      return a.destinationType().get().apply(a.destinationType().get().value().contains(t));
    }
    return true;
  }

  private static boolean statistic(
      Match.Statistic s, CompiledTable.CRule rule, PacketContext ctx, String where) {
    return switch (s.mode()) {
      case RANDOM -> {
        double p = s.effectiveProbability();
        String what = "statistic --probability " + s.probability() + " (" + where + ")";
        boolean hit = ctx.chooser().chance(what, p);
        if (p > 0 && p < 1) {
          ctx.addStep(new Step.Branch(what, hit ? 0 : 1, hit ? p : 1 - p));
        }
        yield hit != s.inverted();
      }
      case NTH -> { // the rule matches the k-th packet it sees (from 0) when k % every == packet
        int k = rule.nth;
        rule.nth = (k + 1) % s.every();
        yield (k == s.packet()) != s.inverted();
      }
    };
  }

  /** xt_physdev: without bridge information only inverted options can hold. */
  private static boolean physdev(Match.Physdev m, PacketContext ctx) {
    boolean bridgeInfo = ctx.bridged() || ctx.physIn().isPresent() || ctx.physOut().isPresent();
    if (!bridgeInfo) {
      return m.isBridged().map(b -> !b).orElse(true)
          && m.isIn().map(b -> !b).orElse(true)
          && m.isOut().map(b -> !b).orElse(true)
          && m.in().map(Negatable::inverted).orElse(true)
          && m.out().map(Negatable::inverted).orElse(true);
    }
    Optional<String> in = ctx.physIn();
    Optional<String> out = ctx.physOut();
    if (m.isBridged().isPresent() && out.isPresent() != m.isBridged().get()) {
      return false;
    }
    if (m.isIn().isPresent() && in.isPresent() != m.isIn().get()
        || m.isOut().isPresent() && out.isPresent() != m.isOut().get()) {
      return false;
    }
    if (m.in().isPresent()
        && in.isPresent()
        && !m.in().get().apply(Interfaces.matches(m.in().get().value(), in.get()))) {
      return false;
    }
    if (m.out().isPresent() && out.isPresent()) {
      return m.out().get().apply(Interfaces.matches(m.out().get().value(), out.get()));
    }
    return true;
  }
}
