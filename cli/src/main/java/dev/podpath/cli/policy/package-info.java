/** The NetworkPolicy subcommands: {@code reach}, {@code explain}, {@code diff}. */
@NullMarked
package dev.podpath.cli.policy;

import org.jspecify.annotations.NullMarked;
