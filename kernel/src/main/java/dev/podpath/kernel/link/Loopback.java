package dev.podpath.kernel.link;

import java.util.List;

/** The loopback device {@code lo}: every namespace has one, index 1, MTU 65536. */
public final class Loopback extends Link {

  public Loopback(LinkContainer namespace) {
    super(namespace, "lo", 1, MacAddress.ZERO, 65536);
  }

  @Override
  public LinkKind kind() {
    return LinkKind.LOOPBACK;
  }

  @Override
  public boolean carrier() {
    return true;
  }

  @Override
  public OperState operState() {
    return adminUp() ? OperState.UNKNOWN : OperState.DOWN;
  }

  @Override
  protected List<String> baseFlags() {
    return List.of("LOOPBACK");
  }
}
