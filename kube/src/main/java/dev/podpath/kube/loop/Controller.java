package dev.podpath.kube.loop;

import dev.podpath.kube.store.ApiStore;

/**
 * A controller as kube-controller-manager runs them: watch handlers only enqueue keys ({@link
 * WorkQueue#add}); {@link #sync} reconciles one key by planning (a pure function of desired and
 * existing state) and applying the plan to the store.
 */
public interface Controller {

  /** The controller's name, e.g. {@code endpointslice-controller}. */
  String name();

  /** Opens the controller's watches on {@code store}; their handlers enqueue into {@code queue}. */
  void start(ApiStore store, WorkQueue queue);

  /** Reconciles one key; throwing an {@code ApiException} requeues it after a backoff. */
  void sync(String key);
}
