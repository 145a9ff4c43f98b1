package dev.podpath.kube.scheduler;

/** Where the scheduler puts a pod: on a node, or nowhere with the scheduler's message. */
public sealed interface Placement {

  /** The pod binds to {@code node}. */
  record Bound(String node) implements Placement {}

  /** No node fits; {@code message} is the FailedScheduling text. */
  record Unschedulable(String message) implements Placement {}
}
