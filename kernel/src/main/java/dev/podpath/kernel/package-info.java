/**
 * The emulated Linux kernel: hosts, network namespaces, links, routing, netfilter, conntrack and
 * NAT, IPVS, sockets and the packet walk that produces traces.
 */
@NullMarked
package dev.podpath.kernel;

import org.jspecify.annotations.NullMarked;
