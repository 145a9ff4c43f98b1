/**
 * The Kubernetes control plane: API objects, the in-memory API store with watch, label selectors,
 * controllers, the scheduler and the event loop on the virtual clock.
 */
@NullMarked
package dev.podpath.kube;

import org.jspecify.annotations.NullMarked;
