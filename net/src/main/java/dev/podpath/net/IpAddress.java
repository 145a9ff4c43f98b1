package dev.podpath.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address. {@link #toString()} is the canonical text Linux tools print (dotted
 * quad; RFC 5952 for IPv6).
 */
public sealed interface IpAddress extends Comparable<IpAddress> permits Ipv4Address, Ipv6Address {

  /** Parses a literal address; throws {@link IllegalArgumentException} naming the text if bad. */
  static IpAddress parse(String text) {
    if (text.indexOf(':') < 0) {
      return Ipv4Address.parse(text);
    }
    try {
      var addr = new IPAddressString(text).toAddress();
      if (!addr.isIPv6() || addr.isPrefixed()) {
        throw new IllegalArgumentException("not an IPv6 address: " + text);
      }
      byte[] b = addr.getBytes();
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (b[i] & 0xff);
        lo = (lo << 8) | (b[i + 8] & 0xff);
      }
      return new Ipv6Address(hi, lo);
    } catch (AddressStringException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
  }

  /** Whether {@code text} is a literal IPv4 or IPv6 address. */
  static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The address as an unsigned number. */
  static IpAddress fromBigInteger(IpFamily family, BigInteger value) {
    return switch (family) {
      case IPV4 -> new Ipv4Address(value.intValue());
      case IPV6 -> new Ipv6Address(value.shiftRight(64).longValue(), value.longValue());
    };
  }

  IpFamily family();

  /** The address as an unsigned number (0 .. 2^bits-1). */
  BigInteger toBigInteger();

  /** The address {@code delta} further on (wrapping within the family's range). */
  IpAddress plus(long delta);

  boolean isLoopback();

  boolean isUnspecified();

  boolean isMulticast();

  /** Link-local unicast (169.254.0.0/16, fe80::/10). */
  boolean isLinkLocal();

  @Override
  default int compareTo(IpAddress other) {
    int byFamily = family().compareTo(other.family());
    return byFamily != 0 ? byFamily : toBigInteger().compareTo(other.toBigInteger());
  }
}
