package dev.podpath.kernel.link;

import dev.podpath.net.IpAddress;
import java.util.Optional;

/**
 * A forwarding database entry, as {@code bridge fdb show} lists it: for a bridge, the port a MAC
 * address was learned on (or a static or local entry); for a vxlan device, the remote VTEP a MAC
 * address lives behind ({@code 00:00:00:00:00:00 dst REMOTE} floods there).
 *
 * @param device the bridge port, or the vxlan device
 * @param dst the remote VTEP (vxlan only)
 * @param updatedNanos the virtual time the entry was last refreshed
 */
public record FdbEntry(
    MacAddress mac, String device, Optional<IpAddress> dst, FdbEntry.Kind kind, long updatedNanos) {

  /** How the entry came to be. */
  public enum Kind {
    /** Learned from a frame's source address; ages out. */
    LEARNED,
    /** Added by {@code bridge fdb add ... static} or for vxlan by default. */
    STATIC,
    /** The address of the bridge or one of its ports ({@code permanent}). */
    LOCAL
  }
}
