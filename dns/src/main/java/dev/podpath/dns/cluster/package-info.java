/**
 * The cluster objects DNS answers from: a snapshot of Services, EndpointSlices, Pods and
 * Namespaces, and a feed of changes.
 */
@NullMarked
package dev.podpath.dns.cluster;

import org.jspecify.annotations.NullMarked;
