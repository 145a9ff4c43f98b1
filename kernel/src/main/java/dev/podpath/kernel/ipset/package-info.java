/**
 * IP sets ({@code ipset}): named sets of addresses, networks and ports that {@code -m set
 * --match-set} looks packets up in.
 */
@NullMarked
package dev.podpath.kernel.ipset;

import org.jspecify.annotations.NullMarked;
