package dev.podpath.kernel.path;

/**
 * The conntrack entry a packet belongs to, as the rest of the path sees it ({@code struct
 * nf_conn}). NAT is recorded the way Linux records it: as a reply tuple that differs from the
 * inverse of the original tuple. A DNAT to B changes the reply's source to B; a SNAT to S changes
 * the reply's destination to S. Packets in either direction are then translated by comparing the
 * two tuples.
 */
public interface TrackedConnection {

  Tuple original();

  Tuple reply();

  /** Records a translation by replacing the reply tuple (only while the entry is unconfirmed). */
  void setReply(Tuple reply);

  /** The connection mark ({@code ct mark}, {@code CONNMARK}). */
  int mark();

  void setMark(int mark);

  /** Whether the source NAT of this connection was decided (the nat table is not asked again). */
  boolean srcNatDone();

  /** Whether the destination NAT of this connection was decided. */
  boolean dstNatDone();
}
