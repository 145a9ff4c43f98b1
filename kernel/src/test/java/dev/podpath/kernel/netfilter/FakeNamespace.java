package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A namespace for netfilter tests: named devices with addresses, sysctls, a clock. */
final class FakeNamespace implements NamespaceView {

  record Address(String device, IpPrefix prefix) {}

  final VirtualClock clock = new VirtualClock();
  final List<Address> addresses = new ArrayList<>();
  final Map<String, String> sysctls = new TreeMap<>();

  FakeNamespace() {
    sysctls.put("net.netfilter.nf_conntrack_max", "262144");
    sysctls.put("net.ipv4.ip_local_port_range", "32768\t60999");
  }

  FakeNamespace address(String device, String prefix) {
    addresses.add(new Address(device, IpPrefix.parse(prefix)));
    return this;
  }

  @Override
  public String hostName() {
    return "host";
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public AddressType addressType(IpAddress address, Optional<String> device) {
    if (address.isMulticast()) {
      return AddressType.MULTICAST;
    }
    for (Address a : addresses) {
      if (a.prefix().address().equals(address)
          && device.map(d -> d.equals(a.device())).orElse(true)) {
        return AddressType.LOCAL;
      }
      if (a.prefix().family() == IpFamily.IPV4
          && a.prefix().length() < 31
          && a.prefix().last().equals(address)) {
        return AddressType.BROADCAST;
      }
    }
    if (address.isLoopback() && device.map(d -> d.equals("lo")).orElse(true)) {
      return AddressType.LOCAL;
    }
    return AddressType.UNICAST;
  }

  @Override
  public Optional<IpAddress> selectSource(IpAddress destination, String device) {
    for (Address a : addresses) {
      if (a.device().equals(device) && a.prefix().family() == destination.family()) {
        return Optional.of(a.prefix().address());
      }
    }
    for (Address a : addresses) {
      if (a.prefix().family() == destination.family() && !a.prefix().address().isLoopback()) {
        return Optional.of(a.prefix().address());
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<IpAddress> primaryAddress(String device, IpFamily family) {
    return addresses.stream()
        .filter(a -> a.device().equals(device) && a.prefix().family() == family)
        .map(a -> a.prefix().address())
        .findFirst();
  }

  @Override
  public String sysctl(String key) {
    String v = sysctls.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown sysctl " + key);
    }
    return v;
  }

  @Override
  public VirtualClock clock() {
    return clock;
  }
}
