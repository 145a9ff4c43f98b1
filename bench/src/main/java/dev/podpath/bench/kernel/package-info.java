/** JMH benchmarks of the emulated kernel's packet walk. */
@NullMarked
package dev.podpath.bench.kernel;

import org.jspecify.annotations.NullMarked;
