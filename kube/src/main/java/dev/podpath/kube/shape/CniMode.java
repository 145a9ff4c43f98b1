package dev.podpath.kube.shape;

import java.util.Locale;

/** How pod networks of different nodes are joined: routes over a flat underlay, or an overlay. */
public enum CniMode {
  /** Each node's podCIDR is routed to that node over the shared L2 underlay. */
  ROUTED,
  /** Pod traffic between nodes is encapsulated (vxlan). */
  OVERLAY;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
