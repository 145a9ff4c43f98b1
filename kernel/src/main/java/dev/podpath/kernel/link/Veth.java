package dev.podpath.kernel.link;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One end of a veth pair. What one end transmits the other receives; an end has carrier only while
 * its peer is administratively up, so a veth whose peer is down delivers nothing.
 */
public final class Veth extends Link {

  private @Nullable Veth peer;

  private Veth(LinkContainer namespace, String name, int ifindex, MacAddress mac) {
    super(namespace, name, ifindex, mac, 1500);
  }

  /** Creates both ends, each in its namespace. */
  public static Veth[] pair(
      LinkContainer ns1,
      String name1,
      int index1,
      MacAddress mac1,
      LinkContainer ns2,
      String name2,
      int index2,
      MacAddress mac2) {
    var a = new Veth(ns1, name1, index1, mac1);
    var b = new Veth(ns2, name2, index2, mac2);
    a.peer = b;
    b.peer = a;
    return new Veth[] {a, b};
  }

  public Veth peer() {
    return Objects.requireNonNull(peer, "veth peer");
  }

  @Override
  public LinkKind kind() {
    return LinkKind.VETH;
  }

  @Override
  public boolean carrier() {
    return peer().adminUp();
  }

  /**
   * Without carrier a veth reports {@code LOWERLAYERDOWN}, except when its peer has the same index
   * in its own namespace: the kernel then takes the device for its own lower layer and says {@code
   * DOWN} (seen on 6.18: {@code kca0@if2 ... state DOWN}).
   */
  @Override
  public OperState operState() {
    if (adminUp() && !carrier() && peer().ifindex() == ifindex()) {
      return OperState.DOWN;
    }
    return super.operState();
  }
}
