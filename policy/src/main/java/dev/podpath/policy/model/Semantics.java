package dev.podpath.policy.model;

/**
 * Which reading of NetworkPolicy to apply where Kubernetes leaves room or analysers differ.
 *
 * <ul>
 *   <li>{@link #KUBERNETES}: what a cluster with a common CNI does and the upstream e2e tests
 *       require. An {@code ipBlock} matches pod IPs too; host-network pods are never selected by a
 *       policy nor matched by pod/namespace selectors (their traffic carries the node's IP, which
 *       only an ipBlock can match).
 *   <li>{@link #NP_GUARD}: the np-guard analyser's model. An {@code ipBlock} matches external
 *       addresses only, never pods; host-network pods are treated like any other pod.
 * </ul>
 */
public enum Semantics {
  KUBERNETES,
  NP_GUARD
}
