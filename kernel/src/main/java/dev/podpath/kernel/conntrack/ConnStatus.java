package dev.podpath.kernel.conntrack;

/** Status bits of a conntrack entry ({@code enum ip_conntrack_status}). */
public enum ConnStatus {
  /** An expected connection (helpers). */
  EXPECTED,
  /** A packet was seen in the reply direction. */
  SEEN_REPLY,
  /** The connection is established enough never to be evicted early. */
  ASSURED,
  /** The entry is in the table (its first packet left the namespace or reached a socket). */
  CONFIRMED,
  /** The connection's source is translated. */
  SRC_NAT,
  /** The connection's destination is translated. */
  DST_NAT,
  /** Source NAT was decided (maybe as a null binding): the nat table is not asked again. */
  SRC_NAT_DONE,
  /** Destination NAT was decided. */
  DST_NAT_DONE
}
