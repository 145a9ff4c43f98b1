/** The semantic NetworkPolicy decision for one flow, with the reasons behind it. */
@NullMarked
package dev.podpath.policy.eval;

import org.jspecify.annotations.NullMarked;
