/**
 * The kubelet's network duties: a sandbox network namespace per pod, wired by the CNI configuration
 * list through the runtime, torn down when the pod goes; host-network pods share the node's root
 * namespace.
 */
@NullMarked
package dev.podpath.node.kubelet;

import org.jspecify.annotations.NullMarked;
