package dev.podpath.kernel.conntrack;

import dev.podpath.kernel.path.TrackedConnection;
import dev.podpath.kernel.path.Tuple;
import java.util.EnumSet;
import java.util.Set;

/**
 * One conntrack entry ({@code struct nf_conn}): the original and reply tuples (NAT recorded as a
 * reply tuple that differs from the inverted original), status bits, the TCP state, the mark and
 * the deadline on the virtual clock. Mutable; owned by its {@link ConntrackTable}.
 */
public final class ConntrackEntry implements TrackedConnection {

  private final long id;
  private final Tuple original;
  private Tuple reply;
  private final EnumSet<ConnStatus> status;
  private TcpState tcpState;
  private int mark;
  private long deadlineNanos;
  private final long createdNanos;
  private final int icmpType;
  private final int icmpCode;

  ConntrackEntry(
      long id, Tuple original, TcpState tcpState, long createdNanos, int icmpType, int icmpCode) {
    this.id = id;
    this.original = original;
    this.reply = Tuples.invert(original);
    this.status = EnumSet.noneOf(ConnStatus.class);
    this.tcpState = tcpState;
    this.createdNanos = createdNanos;
    this.icmpType = icmpType;
    this.icmpCode = icmpCode;
  }

  private ConntrackEntry(ConntrackEntry o) {
    this.id = o.id;
    this.original = o.original;
    this.reply = o.reply;
    this.status = EnumSet.copyOf(o.status.isEmpty() ? EnumSet.noneOf(ConnStatus.class) : o.status);
    this.tcpState = o.tcpState;
    this.mark = o.mark;
    this.deadlineNanos = o.deadlineNanos;
    this.createdNanos = o.createdNanos;
    this.icmpType = o.icmpType;
    this.icmpCode = o.icmpCode;
  }

  ConntrackEntry copy() {
    return new ConntrackEntry(this);
  }

  /** A number unique in its table, in creation order. */
  public long id() {
    return id;
  }

  @Override
  public Tuple original() {
    return original;
  }

  @Override
  public Tuple reply() {
    return reply;
  }

  @Override
  public void setReply(Tuple newReply) {
    if (confirmed()) {
      throw new IllegalStateException(
          "conntrack: the reply tuple of a confirmed entry cannot change");
    }
    reply = newReply;
  }

  @Override
  public int mark() {
    return mark;
  }

  @Override
  public void setMark(int m) {
    mark = m;
  }

  @Override
  public boolean srcNatDone() {
    return status.contains(ConnStatus.SRC_NAT_DONE);
  }

  @Override
  public boolean dstNatDone() {
    return status.contains(ConnStatus.DST_NAT_DONE);
  }

  public boolean confirmed() {
    return status.contains(ConnStatus.CONFIRMED);
  }

  public Set<ConnStatus> status() {
    return status.isEmpty() ? Set.of() : Set.copyOf(status);
  }

  public boolean has(ConnStatus s) {
    return status.contains(s);
  }

  /** Sets a status bit (NAT records SRC_NAT/DST_NAT and the *_DONE bits here). */
  public void set(ConnStatus s) {
    status.add(s);
  }

  public TcpState tcpState() {
    return tcpState;
  }

  void setTcpState(TcpState s) {
    tcpState = s;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  void setDeadlineNanos(long n) {
    deadlineNanos = n;
  }

  long createdNanos() {
    return createdNanos;
  }

  int icmpType() {
    return icmpType;
  }

  int icmpCode() {
    return icmpCode;
  }
}
