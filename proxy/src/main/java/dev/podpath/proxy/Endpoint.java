package dev.podpath.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv6Address;

/**
 * One endpoint of a service port as kube-proxy sees it: the first address of an EndpointSlice
 * endpoint, the slice's port number and its conditions. {@link #toString()} is the endpoint string
 * ({@code 10.0.0.1:80}, {@code [fd00::1]:80}) used in comments, DNAT targets and chain hashes.
 */
public record Endpoint(
    IpAddress ip, int port, boolean local, boolean ready, boolean serving, boolean terminating)
    implements Comparable<Endpoint> {

  public Endpoint {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0..65535, got " + port);
    }
  }

  @Override
  public String toString() {
    return ip instanceof Ipv6Address ? "[" + ip + "]:" + port : ip + ":" + port;
  }

  /** Orders endpoints by their string, byte by byte, as kube-proxy's endpoint cache does. */
  @Override
  public int compareTo(Endpoint o) {
    return toString().compareTo(o.toString());
  }
}
