package dev.podpath.kernel.conntrack;

import dev.podpath.net.TcpFlag;
import java.util.Set;

/**
 * TCP conntrack states and the transitions of {@code tcp_conntracks} (nf_conntrack_proto_tcp.c),
 * without window tracking. {@link #INVALID} and {@link #IGNORE} are outcomes, not states.
 */
public enum TcpState {
  NONE,
  SYN_SENT,
  SYN_RECV,
  ESTABLISHED,
  FIN_WAIT,
  CLOSE_WAIT,
  LAST_ACK,
  TIME_WAIT,
  CLOSE,
  SYN_SENT2,
  /** The packet does not fit the connection: it is INVALID for conntrack. */
  INVALID,
  /** The packet is accepted without a state change. */
  IGNORE;

  private static final TcpState NO = NONE;
  private static final TcpState SS = SYN_SENT;
  private static final TcpState SR = SYN_RECV;
  private static final TcpState ES = ESTABLISHED;
  private static final TcpState FW = FIN_WAIT;
  private static final TcpState CW = CLOSE_WAIT;
  private static final TcpState LA = LAST_ACK;
  private static final TcpState TW = TIME_WAIT;
  private static final TcpState CL = CLOSE;
  private static final TcpState S2 = SYN_SENT2;
  private static final TcpState IV = INVALID;
  private static final TcpState IG = IGNORE;

  /** [direction][packet kind][current state]; kinds: syn, synack, fin, ack, rst, none. */
  private static final TcpState[][][] TABLE = {
    { // original direction
      {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
      {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
      {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
      {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
      {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
      {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
    },
    { // reply direction
      {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
      {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
      {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
      {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
      {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
      {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
    },
  };

  /** The state after a packet with {@code flags} in a direction, or INVALID / IGNORE. */
  public TcpState next(boolean reply, Set<TcpFlag> flags) {
    if (ordinal() > SYN_SENT2.ordinal()) {
      throw new IllegalStateException("tcp: " + this + " is not a state");
    }
    return TABLE[reply ? 1 : 0][kind(flags)][ordinal()];
  }

  private static int kind(Set<TcpFlag> f) {
    if (f.contains(TcpFlag.RST)) {
      return 4;
    }
    if (f.contains(TcpFlag.SYN)) {
      return f.contains(TcpFlag.ACK) ? 1 : 0;
    }
    if (f.contains(TcpFlag.FIN)) {
      return 2;
    }
    return f.contains(TcpFlag.ACK) ? 3 : 5;
  }

  /** The sysctl that holds this state's timeout ({@code nf_conntrack_tcp_timeout_…}). */
  String timeoutKey() {
    String s = this == SYN_SENT2 ? "syn_sent" : name().toLowerCase(java.util.Locale.ROOT);
    return "net.netfilter.nf_conntrack_tcp_timeout_" + s;
  }

  /** The kernel's default timeout of the state, in seconds. */
  long defaultTimeout() {
    return switch (this) {
      case SYN_SENT, SYN_SENT2 -> 120;
      case SYN_RECV -> 60;
      case ESTABLISHED -> 432000;
      case FIN_WAIT -> 120;
      case CLOSE_WAIT -> 60;
      case LAST_ACK -> 30;
      case TIME_WAIT -> 120;
      case CLOSE -> 10;
      default -> 600;
    };
  }
}
