package dev.podpath.dns.forward;

import java.io.IOException;
import org.xbill.DNS.Message;

/**
 * A resolver that names outside the cluster zones are sent to (CoreDNS's {@code forward .
 * /etc/resolv.conf}): the node's nameservers in a cluster, a stub in tests.
 */
@FunctionalInterface
public interface Upstream {

  /** Sends {@code query} and returns the upstream's response; throws when none came. */
  Message query(Message query) throws IOException;
}
