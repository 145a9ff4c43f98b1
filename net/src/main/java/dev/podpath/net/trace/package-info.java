/**
 * Trace values: a packet's fate plus the hops it made, each hop a list of typed steps holding names
 * and values (never live kernel objects), so traces can be rendered, compared and stored.
 */
@NullMarked
package dev.podpath.net.trace;

import org.jspecify.annotations.NullMarked;
