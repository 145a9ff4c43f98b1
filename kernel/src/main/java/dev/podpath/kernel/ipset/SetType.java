package dev.podpath.kernel.ipset;

import java.util.Optional;

/** The set types podpath implements, with their {@code ipset} names and dimensions. */
public enum SetType {
  HASH_IP("hash:ip", 1),
  HASH_IP_PORT("hash:ip,port", 2),
  HASH_NET("hash:net", 1),
  HASH_NET_PORT("hash:net,port", 2),
  HASH_IP_PORT_IP("hash:ip,port,ip", 3),
  HASH_IP_PORT_NET("hash:ip,port,net", 3),
  BITMAP_PORT("bitmap:port", 1);

  private final String ipsetName;
  private final int dimensions;

  SetType(String ipsetName, int dimensions) {
    this.ipsetName = ipsetName;
    this.dimensions = dimensions;
  }

  /** The name {@code ipset create NAME TYPE} takes. */
  public String ipsetName() {
    return ipsetName;
  }

  /** How many packet fields an element is made of ({@code --match-set NAME src,dst} uses two). */
  public int dimensions() {
    return dimensions;
  }

  /** Whether the set holds addresses of one family (every type but bitmap:port). */
  public boolean hasFamily() {
    return this != BITMAP_PORT;
  }

  public static Optional<SetType> find(String name) {
    for (SetType t : values()) {
      if (t.ipsetName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return ipsetName;
  }
}
