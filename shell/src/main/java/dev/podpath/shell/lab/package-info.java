/**
 * Lab files: the shell-like lexer, the interpreter that runs commands, probes and {@code expect}
 * lines on an emulated world, and the text and JSON reports of a run.
 */
@NullMarked
package dev.podpath.shell.lab;

import org.jspecify.annotations.NullMarked;
