package dev.podpath.dns.records;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;

/** One ready endpoint address with its hostname and target Pod name ("" when absent). */
public record EndpointAddress(IpAddress ip, String hostname, String targetRefName) {

  /**
   * The label CoreDNS names this endpoint by: the hostname; with {@code endpoint_pod_names} the
   * Pod's name when shorter than 64 characters; else the dashed IP (an IPv6 ending in {@code -}
   * gets a {@code 0} appended).
   */
  public String label(boolean endpointPodNames) {
    if (!hostname.isEmpty()) {
      return hostname;
    }
    if (endpointPodNames && !targetRefName.isEmpty() && targetRefName.length() < 64) {
      return targetRefName;
    }
    if (ip instanceof Ipv4Address) {
      return ip.toString().replace('.', '-');
    }
    String dashed = ip.toString().replace(':', '-');
    return dashed.endsWith("-") ? dashed + "0" : dashed;
  }
}
