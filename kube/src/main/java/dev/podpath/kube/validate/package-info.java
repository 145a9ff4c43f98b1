/** Validation of API objects with the API server's messages (field paths, "Invalid value"). */
@NullMarked
package dev.podpath.kube.validate;

import org.jspecify.annotations.NullMarked;
