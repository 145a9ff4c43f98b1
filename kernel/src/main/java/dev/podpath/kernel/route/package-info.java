/**
 * Interface addresses, routes and routing tables with longest-prefix match, as {@code ip addr} and
 * {@code ip route} see them.
 */
@NullMarked
package dev.podpath.kernel.route;

import org.jspecify.annotations.NullMarked;
