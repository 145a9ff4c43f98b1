package dev.podpath.net;

import java.math.BigInteger;

/** An IPv4 address held as its 32 bits. */
public record Ipv4Address(int bits) implements IpAddress {

  public static final Ipv4Address ANY = new Ipv4Address(0);
  public static final Ipv4Address LOCALHOST = new Ipv4Address(0x7f000001);
  public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

  /** Parses a dotted quad ({@code 10.0.0.1}); leading zeros and missing octets are rejected. */
  public static Ipv4Address parse(String text) {
    int value = 0;
    int octets = 0;
    int i = 0;
    int n = text.length();
    while (i <= n) {
      int start = i;
      int octet = 0;
      while (i < n && text.charAt(i) != '.') {
        char c = text.charAt(i);
        if (c < '0' || c > '9' || i - start >= 3) {
          throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        octet = octet * 10 + (c - '0');
        i++;
      }
      if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | octet;
      octets++;
      i++;
    }
    if (octets != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    return new Ipv4Address(value);
  }

  public static Ipv4Address of(int a, int b, int c, int d) {
    return new Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
  }

  /** The address as an unsigned 32-bit number in a long. */
  public long unsigned() {
    return bits & 0xffffffffL;
  }

  @Override
  public IpFamily family() {
    return IpFamily.IPV4;
  }

  @Override
  public BigInteger toBigInteger() {
    return BigInteger.valueOf(unsigned());
  }

  @Override
  public Ipv4Address plus(long delta) {
    return new Ipv4Address((int) (unsigned() + delta));
  }

  @Override
  public boolean isLoopback() {
    return (bits >>> 24) == 127;
  }

  @Override
  public boolean isUnspecified() {
    return bits == 0;
  }

  @Override
  public boolean isMulticast() {
    return (bits >>> 28) == 0xe;
  }

  @Override
  public boolean isLinkLocal() {
    return (bits >>> 16) == 0xa9fe;
  }

  @Override
  public String toString() {
    return (bits >>> 24)
        + "."
        + ((bits >>> 16) & 0xff)
        + "."
        + ((bits >>> 8) & 0xff)
        + "."
        + (bits & 0xff);
  }
}
