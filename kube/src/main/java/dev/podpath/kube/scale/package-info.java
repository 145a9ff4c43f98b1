/**
 * Scale scenarios: what watchers of Endpoints and EndpointSlices receive when a large Service
 * changes.
 */
@NullMarked
package dev.podpath.kube.scale;

import org.jspecify.annotations.NullMarked;
