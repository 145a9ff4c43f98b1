/** kubectl's output formats for API objects: the default and wide tables, yaml, json and name. */
@NullMarked
package dev.podpath.kube.print;

import org.jspecify.annotations.NullMarked;
