/**
 * Label and field selectors: the API's matchLabels/matchExpressions and kubectl's {@code -l}
 * syntax.
 */
@NullMarked
package dev.podpath.kube.select;

import org.jspecify.annotations.NullMarked;
