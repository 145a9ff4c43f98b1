/**
 * The Service endpoint controllers: EndpointSlice, legacy Endpoints and EndpointSlice mirroring,
 * each a pure planner plus an applying controller.
 */
@NullMarked
package dev.podpath.kube.endpoints;

import org.jspecify.annotations.NullMarked;
