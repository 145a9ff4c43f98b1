package dev.podpath.kube.loop;

import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs controllers deterministically: {@link #settle()} drains every controller's queue, in the
 * order the controllers were added, until no work is left, so one API write and all its
 * consequences happen "at once" at the current virtual time. Failed syncs are retried after an
 * exponential backoff on the clock (1 s doubling, at most 15 times), as the controllers' rate
 * limiters do.
 */
public final class ControlLoop {

  /** Rounds of draining before the loop calls it a livelock. */
  private static final int MAX_ROUNDS = 10_000;

  private static final int MAX_RETRIES = 15;

  private final ApiStore store;
  private final List<Controller> controllers = new ArrayList<>();
  private final List<WorkQueue> queues = new ArrayList<>();
  private final Map<String, Integer> retries = new HashMap<>();
  private final List<String> errors = new ArrayList<>();
  private boolean settling;

  public ControlLoop(ApiStore store) {
    this.store = store;
  }

  /** Adds and starts a controller. */
  public void add(Controller controller) {
    WorkQueue q = new WorkQueue();
    controllers.add(controller);
    queues.add(q);
    controller.start(store, q);
  }

  public List<Controller> controllers() {
    return List.copyOf(controllers);
  }

  /** Sync failures that ran out of retries, as {@code controller key: message}. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Syncs until every queue is empty. */
  public void settle() {
    if (settling) {
      return; // a clock task inside a sync: the outer settle picks its work up
    }
    settling = true;
    try {
      for (int round = 0; round < MAX_ROUNDS; round++) {
        boolean any = false;
        for (int i = 0; i < controllers.size(); i++) {
          WorkQueue q = queues.get(i);
          int n = q.size();
          for (int k = 0; k < n && !q.isEmpty(); k++) {
            any = true;
            run(controllers.get(i), q, q.take());
          }
        }
        if (!any) {
          return;
        }
      }
      throw new IllegalStateException("controllers did not settle after " + MAX_ROUNDS + " rounds");
    } finally {
      settling = false;
    }
  }

  private void run(Controller c, WorkQueue q, String key) {
    String id = c.name() + " " + key;
    try {
      c.sync(key);
      retries.remove(id);
    } catch (ApiException e) {
      int n = retries.merge(id, 1, Integer::sum);
      if (n > MAX_RETRIES) {
        errors.add(id + ": " + e.getMessage());
        retries.remove(id);
        return;
      }
      store
          .clock()
          .schedule(
              Duration.ofSeconds(Math.min(1000, 1L << (n - 1))),
              () -> {
                q.add(key);
                settle();
              });
    }
  }
}
