package dev.podpath.dns.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards to real nameservers over UDP (TCP when the answer is truncated), trying them in order
 * until one answers, as CoreDNS's forward plugin does with {@code policy sequential}.
 */
public final class ResolverUpstream implements Upstream {

  private final List<SimpleResolver> resolvers = new ArrayList<>();

  /** Forwarders to {@code servers}, each asked with {@code timeout}. */
  public ResolverUpstream(List<InetSocketAddress> servers, Duration timeout) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers must name at least one upstream");
    }
    for (InetSocketAddress s : servers) {
      SimpleResolver r = new SimpleResolver(s);
      r.setTimeout(timeout);
      resolvers.add(r);
    }
  }

  @Override
  public Message query(Message query) throws IOException {
    IOException last = null;
    for (SimpleResolver r : resolvers) {
      try {
        return r.send(query.clone());
      } catch (IOException e) {
        last = e;
      }
    }
    throw last == null ? new IOException("no upstream answered") : last;
  }
}
