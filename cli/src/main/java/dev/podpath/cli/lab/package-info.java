/** The {@code podpath lab} subcommand: runs lab files on fresh emulated worlds. */
@NullMarked
package dev.podpath.cli.lab;

import org.jspecify.annotations.NullMarked;
