package dev.podpath.kernel.link;

import java.util.Locale;

/** A 48-bit Ethernet address; {@link #toString()} is the text {@code ip link} prints. */
public record MacAddress(long bits) implements Comparable<MacAddress> {

  public static final MacAddress ZERO = new MacAddress(0);
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  public MacAddress {
    if ((bits & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException(
          "mac address: must fit in 48 bits, got " + Long.toHexString(bits));
    }
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff}. */
  public static MacAddress parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 2) {
        throw new IllegalArgumentException("not a MAC address: " + text);
      }
      try {
        v = (v << 8) | Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a MAC address: " + text, e);
      }
    }
    return new MacAddress(v);
  }

  /**
   * A locally administered unicast address derived from {@code seed}, as the kernel's {@code
   * eth_random_addr} makes them (here deterministic).
   */
  public static MacAddress derived(long seed) {
    long z = seed + 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z ^= z >>> 31;
    long bits = z & 0xffff_ffff_ffffL;
    bits &= ~(0x01L << 40); // unicast
    bits |= 0x02L << 40; // locally administered
    return new MacAddress(bits);
  }

  public boolean isBroadcast() {
    return bits == BROADCAST.bits;
  }

  public boolean isMulticast() {
    return ((bits >>> 40) & 1) == 1;
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(bits, o.bits);
  }

  @Override
  public String toString() {
    var sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      sb.append(String.format(Locale.ROOT, "%02x", (bits >>> (8 * i)) & 0xff));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
