/** JMH benchmarks. */
@NullMarked
package dev.podpath.bench;

import org.jspecify.annotations.NullMarked;
