/**
 * The vocabulary every layer shares: IP addresses and prefixes, interval sets of addresses and
 * ports, protocols, the immutable packet value, trace values, the virtual clock and seeded or
 * exhaustive random choices.
 */
@NullMarked
package dev.podpath.net;

import org.jspecify.annotations.NullMarked;
