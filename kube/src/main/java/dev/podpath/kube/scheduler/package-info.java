/**
 * The scheduler: filters (nodeName, selectors, affinity, taints, resources, pod count), spreading
 * score, and Pending pods with the scheduler's reasons.
 */
@NullMarked
package dev.podpath.kube.scheduler;

import org.jspecify.annotations.NullMarked;
