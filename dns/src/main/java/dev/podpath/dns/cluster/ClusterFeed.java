package dev.podpath.dns.cluster;

/**
 * A source of cluster state that changes over time, as a watch on the API store delivers it. The
 * DNS server reads {@link #current()} and rebuilds its index when told of a change.
 */
public interface ClusterFeed {

  /** The state as of now (an immutable snapshot). */
  ClusterState current();

  /** Calls {@code listener} after every change (from the thread that made it). */
  void onChange(Runnable listener);

  /** A feed that never changes. */
  static ClusterFeed of(ClusterState state) {
    return new ClusterFeed() {
      @Override
      public ClusterState current() {
        return state;
      }

      @Override
      public void onChange(Runnable listener) {}
    };
  }
}
