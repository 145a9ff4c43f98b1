package dev.podpath.kernel.socket;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The listening sockets of a namespace. A packet goes to the socket bound to its exact destination
 * address, else to a wildcard socket on the port (an IPv4 wildcard before an IPv6 one), as the
 * kernel's socket look-up scores them.
 */
public final class Sockets {

  private final List<Listener> listeners = new ArrayList<>();

  /** Binds a listener; false (EADDRINUSE) when the same protocol, address and port is taken. */
  public boolean bind(Listener l) {
    boolean clash =
        listeners.stream()
            .anyMatch(
                o ->
                    o.protocol() == l.protocol()
                        && o.port() == l.port()
                        && (o.address().equals(l.address())
                            || (o.wildcard() && o.address().family() == l.address().family())
                            || (l.wildcard() && l.address().family() == o.address().family())));
    if (clash) {
      return false;
    }
    listeners.add(l);
    return true;
  }

  public boolean close(Protocol protocol, IpAddress address, int port) {
    return listeners.removeIf(
        l -> l.protocol() == protocol && l.address().equals(address) && l.port() == port);
  }

  /** The socket a packet for {@code dst:port} reaches. */
  public Optional<Listener> find(Protocol protocol, IpAddress dst, int port) {
    Listener wildcard = null;
    for (var l : listeners) {
      if (l.protocol() != protocol || l.port() != port || !l.accepts(dst)) {
        continue;
      }
      if (!l.wildcard()) {
        return Optional.of(l);
      }
      if (wildcard == null
          || (l.address().family() == dst.family()
              && wildcard.address().family() != dst.family())) {
        wildcard = l;
      }
    }
    return Optional.ofNullable(wildcard);
  }

  /** The listeners, sorted by protocol, port, then address ({@code ss -l}). */
  public List<Listener> listeners() {
    var out = new ArrayList<>(listeners);
    out.sort(
        Comparator.comparing(Listener::protocol)
            .thenComparingInt(Listener::port)
            .thenComparing(Listener::address));
    return out;
  }
}
