/**
 * Names outside the cluster zones: upstream resolvers (as CoreDNS's forward plugin) and a response
 * cache (as its cache plugin).
 */
@NullMarked
package dev.podpath.dns.forward;

import org.jspecify.annotations.NullMarked;
