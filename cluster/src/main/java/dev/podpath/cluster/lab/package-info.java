/**
 * The Kubernetes part of lab files: {@code cluster}, {@code kubectl}, {@code advance}, and probe
 * endpoints written as {@code pod/NS/NAME}, {@code svc/NS/NAME:PORT} or DNS names.
 */
@NullMarked
package dev.podpath.cluster.lab;

import org.jspecify.annotations.NullMarked;
