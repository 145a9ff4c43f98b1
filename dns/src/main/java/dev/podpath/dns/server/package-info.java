/** The real DNS server: the plugin chain over dnsjava messages, served on UDP and TCP sockets. */
@NullMarked
package dev.podpath.dns.server;

import org.jspecify.annotations.NullMarked;
