/**
 * The in-memory API server: objects with resourceVersions, list and watch, admission, validation
 * and per-watcher traffic accounting.
 */
@NullMarked
package dev.podpath.kube.store;

import org.jspecify.annotations.NullMarked;
