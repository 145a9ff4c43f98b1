/**
 * {@code sysctl} and the {@code /proc/sys} files of a namespace ({@code cat}, {@code echo V >}), as
 * procps-ng 4 and a shell show them.
 */
@NullMarked
package dev.podpath.shell.sysctl;

import org.jspecify.annotations.NullMarked;
