/** The {@code podpath dns} commands: serve, query, resolvconf, zone. */
@NullMarked
package dev.podpath.cli.dns;

import org.jspecify.annotations.NullMarked;
