/** DNS load inputs: a cluster of N services and the query file dnsperf reads. */
@NullMarked
package dev.podpath.bench.dns;

import org.jspecify.annotations.NullMarked;
