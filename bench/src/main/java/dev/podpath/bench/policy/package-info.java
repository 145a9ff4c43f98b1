/** Benchmarks of NetworkPolicy analysis: reachability over synthetic clusters of 1k-50k pods. */
@NullMarked
package dev.podpath.bench.policy;

import org.jspecify.annotations.NullMarked;
