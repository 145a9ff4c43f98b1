/**
 * kube-proxy: watches Services and EndpointSlices and programs each node's kernel in iptables or
 * IPVS mode.
 */
@NullMarked
package dev.podpath.proxy;

import org.jspecify.annotations.NullMarked;
