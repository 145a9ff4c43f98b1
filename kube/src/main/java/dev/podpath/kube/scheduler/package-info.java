/**
 * The scheduler: kube-scheduler's default profile — filters (unschedulable, taints, node affinity,
 * resources, pod count, topology spread constraints, inter-pod affinity and anti-affinity),
 * weighted scores (including the default cluster-level spreading), and Pending pods with the
 * scheduler's FailedScheduling message.
 */
@NullMarked
package dev.podpath.kube.scheduler;

import org.jspecify.annotations.NullMarked;
