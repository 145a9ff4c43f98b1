/** NetworkPolicy: semantics, per-node enforcement rules and connectivity analysis. */
@NullMarked
package dev.podpath.policy;

import org.jspecify.annotations.NullMarked;
