package dev.podpath.net;

import java.util.Optional;

/**
 * What the kernel keeps beside a packet's headers while it walks a host: the packet mark ({@code
 * skb->mark}), the connection's mark, and the input and output interfaces by name. Marks are
 * unsigned 32-bit values held in an {@code int}.
 */
public record PacketMeta(
    int mark, int connMark, Optional<String> inInterface, Optional<String> outInterface) {

  public static final PacketMeta NONE = new PacketMeta(0, 0, Optional.empty(), Optional.empty());

  public PacketMeta withMark(int m) {
    return new PacketMeta(m, connMark, inInterface, outInterface);
  }

  public PacketMeta withConnMark(int m) {
    return new PacketMeta(mark, m, inInterface, outInterface);
  }

  public PacketMeta withInInterface(String name) {
    return new PacketMeta(mark, connMark, Optional.of(name), outInterface);
  }

  public PacketMeta withOutInterface(String name) {
    return new PacketMeta(mark, connMark, inInterface, Optional.of(name));
  }

  /** A mark as iptables prints it ({@code 0x4000}). */
  public static String hex(int mark) {
    return "0x" + Integer.toHexString(mark);
  }
}
