/**
 * {@code podpath get}: what the control plane derives from manifests, printed as kubectl prints it.
 */
@NullMarked
package dev.podpath.cli.get;

import org.jspecify.annotations.NullMarked;
