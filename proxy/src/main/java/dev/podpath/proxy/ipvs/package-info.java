/** kube-proxy's IPVS mode: virtual and real servers, ipsets, kube-ipvs0 and its iptables rules. */
@NullMarked
package dev.podpath.proxy.ipvs;

import org.jspecify.annotations.NullMarked;
