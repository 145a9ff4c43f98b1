package dev.podpath.kernel.link;

import java.util.List;

/** The loopback device {@code lo}: every namespace has one, index 1, MTU 65536. */
public final class Loopback extends CarrierlessLink {

  public Loopback(LinkContainer namespace) {
    super(namespace, "lo", 1, MacAddress.ZERO, 65536);
  }

  @Override
  public LinkKind kind() {
    return LinkKind.LOOPBACK;
  }

  @Override
  protected List<String> baseFlags() {
    return List.of("LOOPBACK");
  }
}
