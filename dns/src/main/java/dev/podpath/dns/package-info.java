/**
 * Cluster DNS: the Kubernetes DNS spec's records as CoreDNS answers them, a real DNS server, and
 * each pod's resolv.conf.
 */
@NullMarked
package dev.podpath.dns;

import org.jspecify.annotations.NullMarked;
