/** kube-proxy's iptables mode: chain names, the restore text of each sync, the iptables seam. */
@NullMarked
package dev.podpath.proxy.iptables;

import org.jspecify.annotations.NullMarked;
