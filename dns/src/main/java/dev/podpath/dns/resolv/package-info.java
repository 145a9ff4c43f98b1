/**
 * Each pod's resolver: the resolv.conf the kubelet writes per dnsPolicy and dnsConfig, and the
 * search-list walk of a lookup.
 */
@NullMarked
package dev.podpath.dns.resolv;

import org.jspecify.annotations.NullMarked;
