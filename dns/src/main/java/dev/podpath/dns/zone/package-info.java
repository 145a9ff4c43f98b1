/** The cluster zone written as a standard (RFC 1035) zone file. */
@NullMarked
package dev.podpath.dns.zone;

import org.jspecify.annotations.NullMarked;
