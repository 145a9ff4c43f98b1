/** {@code podpath rules}: what kube-proxy programs on one node, in real tools' formats. */
@NullMarked
package dev.podpath.cli.rules;

import org.jspecify.annotations.NullMarked;
