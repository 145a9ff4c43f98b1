package dev.podpath.kernel.netfilter.rule;

/** An inclusive port range; a single port when {@code low == high}. */
public record PortRange(int low, int high) {

  public static final PortRange ALL = new PortRange(0, 65535);

  public PortRange {
    if (low < 0 || high > 65535 || low > high) {
      throw new IllegalArgumentException(
          "port range: need 0 <= low <= high <= 65535, got " + low + ":" + high);
    }
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  public boolean contains(int port) {
    return port >= low && port <= high;
  }

  public boolean isSingle() {
    return low == high;
  }

  public int size() {
    return high - low + 1;
  }

  /** {@code 80} or {@code 8000:8080}, as iptables prints port ranges of matches. */
  @Override
  public String toString() {
    return isSingle() ? Integer.toString(low) : low + ":" + high;
  }
}
