package dev.podpath.net;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Virtual time: it moves only when {@link #advance(Duration)} is called, running the tasks due on
 * the way in time order (ties in the order they were scheduled). Every timeout in podpath
 * (conntrack, {@code recent}, grace periods, controllers) reads this clock, so runs are
 * reproducible.
 */
public final class VirtualClock {

  /** The instant a fresh clock starts at. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private record Task(long dueNanos, long seq, Runnable action) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.dueNanos != b.dueNanos
                  ? Long.compare(a.dueNanos, b.dueNanos)
                  : Long.compare(a.seq, b.seq));
  private long nowNanos;
  private long seq;

  /** Nanoseconds since {@link #EPOCH}. */
  public long nanos() {
    return nowNanos;
  }

  /** Whole seconds since {@link #EPOCH}. */
  public long seconds() {
    return nowNanos / 1_000_000_000L;
  }

  public Instant now() {
    return EPOCH.plusNanos(nowNanos);
  }

  /** Runs {@code action} once {@code delay} has passed (at once on the next advance if zero). */
  public void schedule(Duration delay, Runnable action) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("schedule: delay must not be negative, got " + delay);
    }
    queue.add(new Task(nowNanos + delay.toNanos(), seq++, action));
  }

  /** Moves time forward, running every task that falls due, in order. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("advance: duration must not be negative, got " + by);
    }
    long target = nowNanos + by.toNanos();
    while (!queue.isEmpty() && queue.peek().dueNanos <= target) {
      Task t = queue.poll();
      nowNanos = Math.max(nowNanos, t.dueNanos);
      t.action.run();
    }
    nowNanos = target;
  }

  /** Runs the tasks due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** The number of tasks still waiting. */
  public int pending() {
    return queue.size();
  }
}
