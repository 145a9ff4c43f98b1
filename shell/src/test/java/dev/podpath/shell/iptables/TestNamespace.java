package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.VirtualClock;
import java.util.Optional;

/** A bare namespace for codec tests: no addresses, a fresh virtual clock. */
final class TestNamespace implements NamespaceView {

  private final VirtualClock clock = new VirtualClock();

  static Netfilter netfilter() {
    return new Netfilter(new TestNamespace(), new HookTable());
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
    return AddressType.UNICAST;
  }

  @Override
  public Optional<IpAddress> selectSource(IpAddress destination, String device) {
    return Optional.empty();
  }

  @Override
  public Optional<IpAddress> primaryAddress(String device, IpFamily family) {
    return Optional.empty();
  }

  @Override
  public String sysctl(String key) {
    throw new IllegalArgumentException("sysctl: unknown key " + key);
  }

  @Override
  public VirtualClock clock() {
    return clock;
  }
}
