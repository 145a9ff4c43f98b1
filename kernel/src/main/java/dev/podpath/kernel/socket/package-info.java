/** Listening TCP and UDP sockets of a namespace and how an arriving packet finds one. */
@NullMarked
package dev.podpath.kernel.socket;

import org.jspecify.annotations.NullMarked;
