/** One node's kube-proxy: the configured mode and family over the kernel seams, fed by watches. */
@NullMarked
package dev.podpath.proxy.agent;

import org.jspecify.annotations.NullMarked;
