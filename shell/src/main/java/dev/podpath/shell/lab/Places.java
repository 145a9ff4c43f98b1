package dev.podpath.shell.lab;

import java.util.Optional;

/** Small helpers for the lab's names of places ({@code HOST}, {@code HOST/NS}) and endpoints. */
final class Places {

  private Places() {}

  /**
   * Whether a place label matches what a lab line wrote: {@code HOST/NS} exactly, a bare name as a
   * namespace of any host or as a host's root namespace.
   */
  static boolean matches(String label, String want) {
    if (want.contains("/")) {
      return label.equals(want);
    }
    int slash = label.indexOf('/');
    return slash >= 0 ? label.substring(slash + 1).equals(want) : label.equals(want);
  }

  /** {@code 10.0.0.1:80} → 80; {@code [fd00::1]:80} → 80; no port → empty. */
  static Optional<Integer> port(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0 || (endpoint.indexOf(':') != colon && !endpoint.startsWith("["))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(endpoint.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The address of an endpoint, without port or brackets. */
  static String hostPart(String endpoint) {
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      return close > 0 ? endpoint.substring(1, close) : endpoint;
    }
    int colon = endpoint.lastIndexOf(':');
    return colon >= 0 && endpoint.indexOf(':') == colon ? endpoint.substring(0, colon) : endpoint;
  }
}
