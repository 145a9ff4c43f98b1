package dev.podpath.kube.scheduler;

/**
 * Why a filter plugin rejects a node: the reason as kube-scheduler words it, and whether the status
 * is {@code Unschedulable} (preemption might help) or {@code UnschedulableAndUnresolvable} (it
 * cannot), which decides the "preemption:" half of the FailedScheduling message.
 */
record Rejection(String reason, boolean resolvable) {

  static Rejection unresolvable(String reason) {
    return new Rejection(reason, false);
  }

  static Rejection unschedulable(String reason) {
    return new Rejection(reason, true);
  }
}
