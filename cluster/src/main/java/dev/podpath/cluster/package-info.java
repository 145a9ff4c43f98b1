/**
 * Assembles a running cluster: the control plane, a host per node on a shared underlay, and the
 * node agents (kubelet with CNI, kube-proxy) on the one virtual clock; traces and probes then cross
 * the whole cluster.
 */
@NullMarked
package dev.podpath.cluster;

import org.jspecify.annotations.NullMarked;
