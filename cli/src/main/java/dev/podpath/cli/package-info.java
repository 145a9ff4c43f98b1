/** The podpath command (picocli) and its renderers. */
@NullMarked
package dev.podpath.cli;

import org.jspecify.annotations.NullMarked;
