package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What kube-proxy in IPVS mode wants on a node after one sync: the virtual services with their
 * ready real servers, the addresses bound to {@code kube-ipvs0}, the ipsets and the {@code
 * iptables-restore} input of its small ruleset.
 */
public record IpvsPlan(
    SortedMap<VirtualServer, List<RealServer>> services,
    SortedSet<IpAddress> boundAddresses,
    List<IpSet> ipsets,
    String iptablesRestore) {

  public IpvsPlan {
    services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
    boundAddresses = Collections.unmodifiableSortedSet(new TreeSet<>(boundAddresses));
    ipsets = List.copyOf(ipsets);
  }

  /** The set named {@code name}. */
  public IpSet ipset(String name) {
    return ipsets.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("name: no ipset " + name));
  }
}
