/**
 * The API server's allocators: Service ClusterIPs from the service CIDRs and NodePorts from
 * 30000-32767.
 */
@NullMarked
package dev.podpath.kube.alloc;

import org.jspecify.annotations.NullMarked;
