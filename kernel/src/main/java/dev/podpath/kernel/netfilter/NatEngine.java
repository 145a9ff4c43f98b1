package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.conntrack.ConnStatus;
import dev.podpath.kernel.conntrack.ConntrackEntry;
import dev.podpath.kernel.conntrack.ConntrackTable;
import dev.podpath.kernel.conntrack.Tuples;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.CtState;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Tuple;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Step;
import java.util.Optional;

/**
 * NAT as nf_nat does it. A connection's translation is decided once per kind (source, destination),
 * on its first packet, by the NAT targets or else as a null binding; it is recorded in conntrack as
 * an altered reply tuple ({@code nf_nat_setup_info}, {@code get_unique_tuple}), and every later
 * packet in either direction is rewritten by comparing the two tuples ({@code nf_nat_packet}). A
 * range's address is the hash Linux computes ({@link NatAddressHash}, not a random choice); a
 * source translation reuses the mapping an earlier connection from the same source address and port
 * was given when it fits ({@code find_appropriate_src}). Ports are re-allocated when the translated
 * tuple would clash with another connection's; the search starts at an offset derived from the
 * tuple (deterministic, where Linux draws it at random).
 */
final class NatEngine {

  /** Which side a hook translates ({@code HOOK2MANIP}). */
  enum Manip {
    SRC,
    DST;

    static Manip of(Hook h) {
      return h == Hook.PREROUTING || h == Hook.OUTPUT ? DST : SRC;
    }
  }

  /** A resolved range ({@code struct nf_nat_range2}). */
  private record Range(
      Optional<IpAddress> min,
      Optional<IpAddress> max,
      Optional<PortRange> ports,
      boolean randomAll,
      boolean persistent) {}

  private final ConntrackTable conntrack;

  NatEngine(ConntrackTable conntrack) {
    this.conntrack = conntrack;
  }

  static boolean initialized(ConntrackEntry e, Manip m) {
    return m == Manip.SRC ? e.srcNatDone() : e.dstNatDone();
  }

  /** Whether the nat table should be consulted for this packet at this hook. */
  static boolean needsDecision(PacketContext ctx, Manip m) {
    return ctx.connection().orElse(null) instanceof ConntrackEntry e
        && (ctx.ctState() == CtState.NEW || ctx.ctState() == CtState.RELATED)
        && !initialized(e, m);
  }

  /** The target of a matched NAT rule; returns the verdict (ACCEPT, or DROP when impossible). */
  Verdict target(Target t, PacketContext ctx, Hook hook) {
    if (!(ctx.connection().orElse(null) instanceof ConntrackEntry e)) {
      return Verdict.ACCEPT;
    }
    IpFamily fam = ctx.packet().family();
    switch (t) {
      case Target.Dnat d ->
          setup(
              e,
              new Range(
                  d.range().first(),
                  d.range().last(),
                  d.range().ports(),
                  d.random(),
                  d.persistent()),
              Manip.DST,
              ctx);
      case Target.Snat s ->
          setup(
              e,
              new Range(
                  s.range().first(),
                  s.range().last(),
                  s.range().ports(),
                  s.random() || s.randomFully(),
                  s.persistent()),
              Manip.SRC,
              ctx);
      case Target.Masquerade m -> {
        if (e.original().src().isUnspecified()) {
          return Verdict.ACCEPT;
        }
        String out = ctx.outInterface().orElse("");
        Optional<IpAddress> src = ctx.namespace().selectSource(ctx.packet().dst(), out);
        if (src.isEmpty()) {
          ctx.addStep(new Step.Drop(out + " ate my IP address"));
          return new Verdict.Drop("MASQUERADE: " + out + " has no address");
        }
        setup(
            e,
            new Range(src, src, m.ports(), m.random() || m.randomFully(), false),
            Manip.SRC,
            ctx);
      }
      case Target.Redirect r -> {
        Optional<IpAddress> dst =
            hook == Hook.OUTPUT
                ? Optional.of(fam == IpFamily.IPV4 ? Ipv4Address.LOCALHOST : Ipv6Address.LOCALHOST)
                : ctx.inInterface().flatMap(i -> ctx.namespace().primaryAddress(i, fam));
        if (dst.isEmpty()) {
          ctx.addStep(new Step.Drop("REDIRECT: the incoming interface has no address"));
          return new Verdict.Drop("REDIRECT: no address");
        }
        setup(e, new Range(dst, dst, r.ports(), r.random(), false), Manip.DST, ctx);
      }
      default -> throw new IllegalArgumentException("not a NAT target: " + t);
    }
    return Verdict.ACCEPT;
  }

  /**
   * {@code nf_nat_alloc_null_binding}: no NAT rule decided, keep the addresses (ports may move).
   */
  void nullBinding(PacketContext ctx, Manip m) {
    if (ctx.connection().orElse(null) instanceof ConntrackEntry e && !initialized(e, m)) {
      Optional<IpAddress> ip = Optional.of(m == Manip.SRC ? e.reply().dst() : e.reply().src());
      setup(e, new Range(ip, ip, Optional.empty(), false, false), m, ctx);
    }
  }

  /** {@code nf_nat_packet}: rewrites the packet by its connection's binding. */
  void apply(PacketContext ctx, Hook hook) {
    if (!(ctx.connection().orElse(null) instanceof ConntrackEntry e) || ctx.untracked()) {
      return;
    }
    Manip m = Manip.of(hook);
    boolean reply = ctx.replyDirection();
    ConnStatus bit = (m == Manip.SRC) != reply ? ConnStatus.SRC_NAT : ConnStatus.DST_NAT;
    if (!e.has(bit)) {
      return;
    }
    Tuple other = reply ? e.original() : e.reply();
    Packet before = ctx.packet();
    Packet after = manip(before, Tuples.invert(other), m);
    if (ctx.ctState() == CtState.RELATED && before.inner().isPresent()) {
      Packet inner = manip(before.inner().get(), other, m == Manip.SRC ? Manip.DST : Manip.SRC);
      after = after.toBuilder().inner(inner).build();
    }
    if (!after.equals(before)) {
      String kind =
          reply
              ? (bit == ConnStatus.SRC_NAT ? "un-SNAT" : "un-DNAT")
              : (m == Manip.SRC ? "SNAT" : "DNAT");
      ctx.setPacket(after);
      ctx.addStep(new Step.Nat(kind, before.toString(), after.toString()));
    }
  }

  private static Packet manip(Packet p, Tuple target, Manip m) {
    var b = p.toBuilder();
    boolean ports = p.protocol().hasPorts();
    if (m == Manip.SRC) {
      b.src(target.src());
      if (ports) {
        b.srcPort(target.srcPort());
      }
    } else {
      b.dst(target.dst());
      if (ports) {
        b.dstPort(target.dstPort());
      }
    }
    if (isEcho(p)) {
      b.icmpId(target.srcPort());
    }
    return b.build();
  }

  /** Whether the packet is an ICMP query or its answer (its id is part of the tuple). */
  private static boolean isEcho(Packet p) {
    return switch (p.protocol()) {
      case ICMP ->
          p.icmpType() == 0 || p.icmpType() == 8 || (p.icmpType() >= 13 && p.icmpType() <= 18);
      case ICMPV6 -> p.icmpType() == 128 || p.icmpType() == 129;
      default -> false;
    };
  }

  /** {@code nf_nat_setup_info}. */
  private void setup(ConntrackEntry e, Range range, Manip m, PacketContext ctx) {
    Tuple curr = Tuples.invert(e.reply());
    Tuple next = uniqueTuple(curr, range, m, e, ctx);
    if (!next.equals(curr)) {
      e.setReply(Tuples.invert(next));
      e.set(m == Manip.SRC ? ConnStatus.SRC_NAT : ConnStatus.DST_NAT);
    }
    e.set(m == Manip.SRC ? ConnStatus.SRC_NAT_DONE : ConnStatus.DST_NAT_DONE);
  }

  /**
   * {@code get_unique_tuple}: for a source translation without {@code --random}, the tuple as it is
   * when it already fits the range and is free, else the mapping an existing connection from the
   * same source (protocol, address, port) was given when it fits the range and is free here too
   * ({@code find_appropriate_src}); otherwise the range's address for this tuple ({@link
   * NatAddressHash}) and, when the port does not fit or clashes, a port found by {@link
   * #uniquePort}.
   */
  private Tuple uniqueTuple(Tuple orig, Range range, Manip m, ConntrackEntry e, PacketContext ctx) {
    if (m == Manip.SRC && !range.randomAll()) {
      if (inRange(orig, range, m)) {
        if (!used(orig, e)) {
          return orig;
        }
      } else {
        Optional<Tuple> mapped = appropriateSource(orig, range, e);
        if (mapped.isPresent() && !used(mapped.get(), e)) {
          ctx.addStep(
              new Step.Note(
                  "NAT: "
                      + orig.src()
                      + ":"
                      + orig.srcPort()
                      + " keeps the source mapping of its earlier connection, "
                      + mapped.get().src()
                      + ":"
                      + mapped.get().srcPort()));
          return mapped.get();
        }
      }
    }
    Tuple t = withAddress(orig, m, pickAddress(orig, range, m, ctx));
    if (!range.randomAll()) {
      if (range.ports().isPresent()) {
        PortRange pr = range.ports().get();
        if (pr.contains(key(t, m)) && (pr.isSingle() || !used(t, e))) {
          return t;
        }
      } else if (!used(t, e)) {
        return t;
      }
    }
    return uniquePort(t, range, m, e);
  }

  /**
   * {@code find_appropriate_src}: the source part of the reply of the newest connection with the
   * same protocol, source address and source port that was given a source mapping (a null binding
   * included), with {@code orig}'s destination, when that fits the range.
   */
  private Optional<Tuple> appropriateSource(Tuple orig, Range range, ConntrackEntry self) {
    for (ConntrackEntry other : conntrack.sameSource(orig)) {
      if (other == self) {
        continue;
      }
      Tuple mapped = Tuples.invert(other.reply());
      Tuple result =
          new Tuple(mapped.src(), orig.dst(), orig.protocol(), mapped.srcPort(), orig.dstPort());
      if (inRange(result, range, Manip.SRC)) {
        return Optional.of(result);
      }
    }
    return Optional.empty();
  }

  /** {@code nf_nat_l4proto_unique_tuple}: moves the port (or ICMP id) into the range, unused. */
  private Tuple uniquePort(Tuple t, Range range, Manip m, ConntrackEntry e) {
    boolean icmp = t.protocol() == Protocol.ICMP || t.protocol() == Protocol.ICMPV6;
    if (!icmp && !t.protocol().hasPorts()) {
      return t; // only the addresses of other protocols are translated
    }
    int min;
    int size;
    if (range.ports().isPresent()) {
      min = range.ports().get().low();
      size = range.ports().get().size();
    } else if (icmp) {
      min = 0;
      size = 65536;
    } else if (m == Manip.DST) {
      return t; // a destination's port is not moved unless a range says so
    } else if (key(t, m) < 1024) {
      min = key(t, m) < 512 ? 1 : 600;
      size = key(t, m) < 512 ? 511 : 424;
    } else {
      min = 1024;
      size = 65535 - 1024 + 1;
    }
    int off =
        m == Manip.DST && !range.randomAll()
            ? 0
            : Math.floorMod(t.hashCode() * 31 + e.original().hashCode(), 65536);
    int attempts = Math.min(size, 128);
    Tuple candidate = t;
    for (int i = 0; i < attempts; i++) {
      candidate = withKey(t, m, icmp, min + Math.floorMod(off + i, size));
      if (!used(candidate, e)) {
        return candidate;
      }
    }
    return candidate;
  }

  /** {@code find_best_ips_proto}: the range's address for this tuple, by hash, not at random. */
  private static IpAddress pickAddress(Tuple t, Range range, Manip m, PacketContext ctx) {
    if (range.min().isEmpty()) {
      return m == Manip.SRC ? t.src() : t.dst();
    }
    IpAddress min = range.min().get();
    IpAddress max = range.max().get();
    if (min.equals(max)) {
      return min;
    }
    IpAddress picked = NatAddressHash.pick(t.src(), t.dst(), min, max, range.persistent());
    ctx.addStep(
        new Step.Note(
            "NAT: "
                + picked
                + " of "
                + min
                + "-"
                + max
                + " by the hash of "
                + (range.persistent()
                    ? "source " + t.src() + " (--persistent)"
                    : "source " + t.src() + " and destination " + t.dst())));
    return picked;
  }

  private boolean used(Tuple t, ConntrackEntry e) {
    return conntrack.taken(Tuples.invert(t), e);
  }

  private static boolean inRange(Tuple t, Range r, Manip m) {
    IpAddress a = m == Manip.SRC ? t.src() : t.dst();
    if (r.min().isPresent() && (a.compareTo(r.min().get()) < 0 || a.compareTo(r.max().get()) > 0)) {
      return false;
    }
    return r.ports().isEmpty() || r.ports().get().contains(key(t, m));
  }

  private static int key(Tuple t, Manip m) {
    return !t.protocol().hasPorts() || m == Manip.SRC ? t.srcPort() : t.dstPort();
  }

  private static Tuple withKey(Tuple t, Manip m, boolean icmp, int value) {
    if (icmp || m == Manip.SRC) {
      return new Tuple(t.src(), t.dst(), t.protocol(), value, t.dstPort());
    }
    return new Tuple(t.src(), t.dst(), t.protocol(), t.srcPort(), value);
  }

  private static Tuple withAddress(Tuple t, Manip m, IpAddress a) {
    return m == Manip.SRC
        ? new Tuple(a, t.dst(), t.protocol(), t.srcPort(), t.dstPort())
        : new Tuple(t.src(), a, t.protocol(), t.srcPort(), t.dstPort());
  }
}
