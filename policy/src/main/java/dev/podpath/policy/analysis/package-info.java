/**
 * Connectivity between workloads and external ranges, by equivalence classes; renderers and diffs.
 */
@NullMarked
package dev.podpath.policy.analysis;

import org.jspecify.annotations.NullMarked;
