/**
 * Workload controllers: Deployment, ReplicaSet, StatefulSet and DaemonSet, each a planner plus an
 * applying controller.
 */
@NullMarked
package dev.podpath.kube.workload;

import org.jspecify.annotations.NullMarked;
