/** Scale benchmarks of kube-proxy's iptables mode: full syncs and first packets. */
@NullMarked
package dev.podpath.bench.proxy;

import org.jspecify.annotations.NullMarked;
