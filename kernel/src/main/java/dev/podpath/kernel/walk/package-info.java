/**
 * The packet walk: a packet's journey through links, bridges, netfilter hooks, routing and sockets
 * across namespaces and hosts, recorded as a {@link dev.podpath.net.trace.Trace}; and the probe API
 * built on it (connection attempts, sampled or explored).
 */
@NullMarked
package dev.podpath.kernel.walk;

import org.jspecify.annotations.NullMarked;
