/**
 * The packet path as data: netfilter hooks, the functions registered at each hook with their kernel
 * priorities, the verdicts they return, and the per-packet context that travels through them. The
 * lowest package of the kernel: the walker, netfilter, conntrack and IPVS all build on it, and it
 * depends on none of them.
 */
@NullMarked
package dev.podpath.kernel.path;

import org.jspecify.annotations.NullMarked;
