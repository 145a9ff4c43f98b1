/**
 * Network devices: loopback, veth pairs, bridges with their FDB, dummies, NICs on a shared segment,
 * vxlan.
 */
@NullMarked
package dev.podpath.kernel.link;

import org.jspecify.annotations.NullMarked;
