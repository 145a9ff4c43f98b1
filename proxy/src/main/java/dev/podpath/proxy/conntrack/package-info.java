/** Which conntrack entries kube-proxy deletes after a sync (stale UDP flows), as data. */
@NullMarked
package dev.podpath.proxy.conntrack;

import org.jspecify.annotations.NullMarked;
