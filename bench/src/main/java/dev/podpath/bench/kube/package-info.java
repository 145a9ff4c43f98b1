/** Scale measurements of the control plane: watch traffic of Endpoints versus EndpointSlices. */
@NullMarked
package dev.podpath.bench.kube;

import org.jspecify.annotations.NullMarked;
