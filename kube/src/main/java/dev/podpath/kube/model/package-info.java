/** The kinds podpath serves, their API groups, resource names and fabric8 classes. */
@NullMarked
package dev.podpath.kube.model;

import org.jspecify.annotations.NullMarked;
