package dev.podpath.kernel.route;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.Optional;

/**
 * An address assigned to a device, as {@code ip addr} shows it: {@code inet 10.0.0.1/24 brd
 * 10.0.0.255 scope global secondary eth0:1}.
 *
 * @param prefix the address with its prefix length (host bits kept)
 * @param broadcast the {@code brd} address, if one was given
 * @param label the label ({@code eth0:1}), by default the device's name
 * @param secondary whether another address of the device already covers this subnet
 */
public record InterfaceAddress(
    String device,
    IpPrefix prefix,
    Scope scope,
    Optional<IpAddress> broadcast,
    String label,
    boolean secondary) {

  public IpAddress address() {
    return prefix.address();
  }

  public IpFamily family() {
    return prefix.family();
  }

  /** The subnet the address is on ({@code 10.0.0.0/24}). */
  public IpPrefix subnet() {
    return prefix.masked();
  }

  public InterfaceAddress withDevice(String newDevice) {
    return new InterfaceAddress(
        newDevice, prefix, scope, broadcast, label.equals(device) ? newDevice : label, secondary);
  }

  public InterfaceAddress withSecondary(boolean s) {
    return new InterfaceAddress(device, prefix, scope, broadcast, label, s);
  }
}
