package dev.podpath.kube.store;

/** The traffic one watcher (or a set of watchers) received: events and bytes. */
public record WatchStats(long events, long bytes) {

  public static final WatchStats ZERO = new WatchStats(0, 0);

  public WatchStats plus(WatchStats other) {
    return new WatchStats(events + other.events, bytes + other.bytes);
  }

  public WatchStats minus(WatchStats other) {
    return new WatchStats(events - other.events, bytes - other.bytes);
  }
}
