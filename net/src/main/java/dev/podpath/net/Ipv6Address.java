package dev.podpath.net;

import java.math.BigInteger;

/** An IPv6 address held as two 64-bit halves. */
public record Ipv6Address(long high, long low) implements IpAddress {

  public static final Ipv6Address ANY = new Ipv6Address(0, 0);
  public static final Ipv6Address LOCALHOST = new Ipv6Address(0, 1);

  @Override
  public IpFamily family() {
    return IpFamily.IPV6;
  }

  @Override
  public BigInteger toBigInteger() {
    return new BigInteger(Long.toUnsignedString(high))
        .shiftLeft(64)
        .or(new BigInteger(Long.toUnsignedString(low)));
  }

  @Override
  public Ipv6Address plus(long delta) {
    long newLow = low + delta;
    long carry = 0;
    if (delta >= 0 && Long.compareUnsigned(newLow, low) < 0) {
      carry = 1;
    } else if (delta < 0 && Long.compareUnsigned(newLow, low) > 0) {
      carry = -1;
    }
    return new Ipv6Address(high + carry, newLow);
  }

  @Override
  public boolean isLoopback() {
    return high == 0 && low == 1;
  }

  @Override
  public boolean isUnspecified() {
    return high == 0 && low == 0;
  }

  @Override
  public boolean isMulticast() {
    return (high >>> 56) == 0xff;
  }

  @Override
  public boolean isLinkLocal() {
    return (high >>> 54) == (0xfe80L >>> 6);
  }

  /** RFC 5952 text: lower case, the longest run (of two or more) of zero groups as {@code ::}. */
  @Override
  public String toString() {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((high >>> (48 - 16 * i)) & 0xffff);
      g[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xffff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
