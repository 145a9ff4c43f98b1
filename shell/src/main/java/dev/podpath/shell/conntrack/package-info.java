/** {@code conntrack -L|-F|-D|-C} from conntrack-tools 1.4.7 over a namespace's conntrack table. */
@NullMarked
package dev.podpath.shell.conntrack;

import org.jspecify.annotations.NullMarked;
