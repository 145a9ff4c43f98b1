/** {@code ipset} (v7.17) over a namespace's ip sets: create, add, del, test, list, save, … */
@NullMarked
package dev.podpath.shell.ipset;

import org.jspecify.annotations.NullMarked;
