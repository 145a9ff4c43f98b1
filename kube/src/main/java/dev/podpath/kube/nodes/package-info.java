/**
 * Node-side control: node IPAM (a podCIDR per node), garbage collection, and the stand-in for the
 * kubelet until the node module exists.
 */
@NullMarked
package dev.podpath.kube.nodes;

import org.jspecify.annotations.NullMarked;
