package dev.podpath.kernel.route;

import java.util.Locale;
import java.util.Optional;

/** Who installed a route ({@code RTPROT_*}), as {@code ip route} prints after {@code proto}. */
public enum RouteProtocol {
  /** Installed by the kernel for an address ({@code proto kernel}). */
  KERNEL,
  /** Installed by {@code ip route add} without {@code proto} (printed as nothing). */
  BOOT,
  STATIC,
  DHCP,
  BIRD,
  BGP;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RouteProtocol> find(String word) {
    for (var p : values()) {
      if (p.word().equals(word)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
