/**
 * CNI 1.x: the execution protocol (environment, stdin, stdout, exit status, error objects),
 * configuration lists, a libcni-like runtime that runs a list's plugins in order, and emulated
 * plugins (bridge, host-local, loopback) that act on the emulated kernel, with the real plugins'
 * results and error messages.
 */
@NullMarked
package dev.podpath.node.cni;

import org.jspecify.annotations.NullMarked;
