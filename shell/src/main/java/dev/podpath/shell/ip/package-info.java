/**
 * {@code ip} (iproute2) over the emulated kernel: netns, link, addr, route and neigh, with
 * iproute2's output and errors.
 */
@NullMarked
package dev.podpath.shell.ip;

import org.jspecify.annotations.NullMarked;
