package dev.podpath.kernel.path;

/**
 * The link-layer header a received packet came with ({@code skb_mac_header}), as the LOG target
 * prints it: the destination and source hardware addresses in {@code ip link}'s text, or none for a
 * device without a header (an IP-in-IP tunnel).
 *
 * @param destination the frame's destination address, {@code aa:bb:cc:dd:ee:ff}; empty when none
 * @param source the frame's source address; empty when none
 */
public record MacHeader(String destination, String source) {

  /** The header loopback packets carry: all-zero addresses. */
  public static final MacHeader LOOPBACK = new MacHeader("00:00:00:00:00:00", "00:00:00:00:00:00");

  /** No link-layer header ({@code hard_header_len} 0). */
  public static final MacHeader NONE = new MacHeader("", "");

  public MacHeader {
    if (destination.isEmpty() != source.isEmpty()) {
      throw new IllegalArgumentException(
          "MAC header: give both addresses or neither, got '"
              + destination
              + "', '"
              + source
              + "'");
    }
  }

  /** Whether the device had a header at all. */
  public boolean present() {
    return !destination.isEmpty();
  }
}
