/** podpath's own {@code Cluster} kind: the shape of a cluster (nodes, CIDRs, domain, modes). */
@NullMarked
package dev.podpath.kube.shape;

import org.jspecify.annotations.NullMarked;
