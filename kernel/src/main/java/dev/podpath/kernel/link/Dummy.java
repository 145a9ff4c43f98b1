package dev.podpath.kernel.link;

import java.util.List;

/** A dummy device: always has carrier, never transmits anywhere (packets routed to it vanish). */
public final class Dummy extends CarrierlessLink {

  public Dummy(LinkContainer namespace, String name, int ifindex, MacAddress mac) {
    super(namespace, name, ifindex, mac, 1500);
  }

  @Override
  public LinkKind kind() {
    return LinkKind.DUMMY;
  }

  @Override
  protected List<String> baseFlags() {
    return List.of("BROADCAST", "NOARP");
  }
}
