/** The embedded harness other modules' tests build emulated hosts with (the kernel's test-jar). */
@NullMarked
package dev.podpath.kernel.embedded;

import org.jspecify.annotations.NullMarked;
