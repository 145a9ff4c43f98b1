package dev.podpath.kernel.conntrack;

import dev.podpath.kernel.path.Tuple;
import dev.podpath.net.Packet;

/** Tuple helpers that know ICMP keeps its echo id in the source-port field in both directions. */
public final class Tuples {

  private Tuples() {}

  /** The tuple of a packet as conntrack keys it. */
  public static Tuple of(Packet p) {
    return Tuple.of(p);
  }

  /** The tuple a reply to {@code t} would have ({@code nf_ct_invert_tuple}). */
  public static Tuple invert(Tuple t) {
    return t.protocol().hasPorts()
        ? t.inverse()
        : new Tuple(t.dst(), t.src(), t.protocol(), t.srcPort(), t.dstPort());
  }

  /** The reply type of an ICMP query type (echo 8 -> 0, timestamp 13 -> 14, …), or -1. */
  public static int icmpReplyType(int type, boolean v6) {
    if (v6) {
      return type == 128 ? 129 : -1;
    }
    return switch (type) {
      case 8 -> 0;
      case 13 -> 14;
      case 15 -> 16;
      case 17 -> 18;
      default -> -1;
    };
  }

  /** Whether an ICMP type is an error that carries the packet it reports on. */
  public static boolean isIcmpError(int type, boolean v6) {
    return v6
        ? type >= 1 && type <= 4
        : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }
}
