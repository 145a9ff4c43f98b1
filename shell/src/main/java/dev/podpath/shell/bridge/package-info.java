/** {@code bridge} (iproute2) over the emulated kernel: {@code link show|set}, {@code fdb show}. */
@NullMarked
package dev.podpath.shell.bridge;

import org.jspecify.annotations.NullMarked;
