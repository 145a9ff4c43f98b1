/**
 * The deterministic event loop the controllers run on: work queues per controller, drained in a
 * fixed order, on the virtual clock.
 */
@NullMarked
package dev.podpath.kube.loop;

import org.jspecify.annotations.NullMarked;
