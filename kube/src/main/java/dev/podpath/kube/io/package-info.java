/**
 * Reading Kubernetes YAML and JSON (files, directories, standard input) into model objects with
 * their source locations.
 */
@NullMarked
package dev.podpath.kube.io;

import org.jspecify.annotations.NullMarked;
