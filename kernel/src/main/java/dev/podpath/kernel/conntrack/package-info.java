/**
 * Connection tracking ({@code nf_conntrack}): entries with original and reply tuples, states,
 * timeouts on the virtual clock, NAT bindings recorded as altered reply tuples.
 */
@NullMarked
package dev.podpath.kernel.conntrack;

import org.jspecify.annotations.NullMarked;
