package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;

/**
 * Address parsing as kube-proxy does it ({@code netutils.ParseIPSloppy}): IPv4 octets with leading
 * zeros are read as decimal ({@code 172.30.0.041} is {@code 172.30.0.41}), as Go before 1.17 did.
 * Values that cannot be read give an empty result, and kube-proxy skips them.
 */
public final class SloppyIp {

  private SloppyIp() {}

  /** Parses an address, tolerating leading zeros in IPv4 octets. */
  public static Optional<IpAddress> parse(String text) {
    String t = text.strip();
    if (t.indexOf(':') < 0) {
      t = stripLeadingZeros(t);
    }
    try {
      return Optional.of(IpAddress.parse(t));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Parses a CIDR, tolerating surrounding blanks and leading zeros; the result is masked. */
  public static Optional<IpPrefix> parseCidr(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<IpAddress> addr = parse(t.substring(0, slash));
    String len = stripZeros(t.substring(slash + 1));
    if (addr.isEmpty()
        || len.isEmpty()
        || !len.chars().allMatch(Character::isDigit)
        || len.length() > 3) {
      return Optional.empty();
    }
    int length = Integer.parseInt(len);
    if (length > addr.get().family().bits()) {
      return Optional.empty();
    }
    return Optional.of(IpPrefix.of(addr.get(), length));
  }

  private static String stripLeadingZeros(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      return dotted;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(stripZeros(parts[i]));
    }
    return sb.toString();
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }
}
