package dev.podpath.kernel.netfilter;

/** iptables interface-name patterns. */
final class Interfaces {
  private Interfaces() {}

  /** Exact, or by prefix with a trailing {@code +}. */
  static boolean matches(String pattern, String device) {
    return pattern.endsWith("+")
        ? device.startsWith(pattern.substring(0, pattern.length() - 1))
        : device.equals(pattern);
  }
}
