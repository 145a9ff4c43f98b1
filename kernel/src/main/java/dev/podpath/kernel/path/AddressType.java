package dev.podpath.kernel.path;

/** Route types as {@code -m addrtype} names them ({@code RTN_*}). */
public enum AddressType {
  UNSPEC,
  UNICAST,
  LOCAL,
  BROADCAST,
  ANYCAST,
  MULTICAST,
  BLACKHOLE,
  UNREACHABLE,
  PROHIBIT,
  THROW,
  NAT,
  XRESOLVE
}
