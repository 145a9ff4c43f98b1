package dev.podpath.net;

import java.math.BigInteger;

/**
 * A CIDR prefix such as {@code 10.244.0.0/16}. The address keeps the bits it was written with
 * (iptables and {@code ip addr} both accept {@code 10.0.0.1/24}); {@link #network()} masks them.
 */
public record IpPrefix(IpAddress address, int length) implements Comparable<IpPrefix> {

  public IpPrefix {
    if (length < 0 || length > address.family().bits()) {
      throw new IllegalArgumentException(
          "prefix length: must be 0.." + address.family().bits() + ", got " + length);
    }
  }

  /** Parses {@code ADDR/LEN} or a bare address (a host prefix). */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return host(IpAddress.parse(text));
    }
    IpAddress addr = IpAddress.parse(text.substring(0, slash));
    String len = text.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a prefix length: " + text);
    }
    return new IpPrefix(addr, Integer.parseInt(len));
  }

  /** The /32 or /128 prefix of one address. */
  public static IpPrefix host(IpAddress address) {
    return new IpPrefix(address, address.family().bits());
  }

  /** The prefix of the given length whose network part is taken from {@code address}. */
  public static IpPrefix of(IpAddress address, int length) {
    return new IpPrefix(address, length).masked();
  }

  public IpFamily family() {
    return address.family();
  }

  /** This prefix with its host bits cleared. */
  public IpPrefix masked() {
    IpAddress net = network();
    return net.equals(address) ? this : new IpPrefix(net, length);
  }

  public IpAddress network() {
    return switch (address) {
      case Ipv4Address v4 -> new Ipv4Address(v4.bits() & mask4());
      case Ipv6Address v6 -> new Ipv6Address(v6.high() & mask6High(), v6.low() & mask6Low());
    };
  }

  /** The last address of the prefix (the IPv4 broadcast address). */
  public IpAddress last() {
    return switch (address) {
      case Ipv4Address v4 -> new Ipv4Address(v4.bits() | ~mask4());
      case Ipv6Address v6 -> new Ipv6Address(v6.high() | ~mask6High(), v6.low() | ~mask6Low());
    };
  }

  /** The number of addresses in the prefix. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(family().bits() - length);
  }

  public boolean contains(IpAddress candidate) {
    return switch (address) {
      case Ipv4Address v4 ->
          candidate instanceof Ipv4Address c && ((c.bits() ^ v4.bits()) & mask4()) == 0;
      case Ipv6Address v6 ->
          candidate instanceof Ipv6Address c
              && ((c.high() ^ v6.high()) & mask6High()) == 0
              && ((c.low() ^ v6.low()) & mask6Low()) == 0;
    };
  }

  /** Whether every address of {@code other} is in this prefix. */
  public boolean contains(IpPrefix other) {
    return other.family() == family() && other.length >= length && contains(other.address);
  }

  /** The IPv4 netmask as a 32-bit number. */
  public int mask4() {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  private long mask6High() {
    return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
  }

  private long mask6Low() {
    return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
  }

  /** Whether this is a single-address prefix. */
  public boolean isHost() {
    return length == family().bits();
  }

  @Override
  public int compareTo(IpPrefix o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(length, o.length);
  }

  @Override
  public String toString() {
    return address + "/" + length;
  }
}
