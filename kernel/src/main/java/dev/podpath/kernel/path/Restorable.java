package dev.podpath.kernel.path;

/**
 * State a packet walk may change (conntrack entries, counters, {@code recent} lists, IPVS
 * connections and scheduler positions, learned FDB entries) that an exploration must roll back
 * between branches.
 */
public interface Restorable {

  /** Captures the state as it is now; running the returned action puts it back. */
  Runnable snapshot();
}
