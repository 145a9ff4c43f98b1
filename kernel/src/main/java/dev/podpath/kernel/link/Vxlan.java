package dev.podpath.kernel.link;

import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A VXLAN device: Ethernet frames sent on it are wrapped in UDP (VNI, destination port) and sent
 * over the underlay to the VTEP its FDB names for the destination MAC (or to every {@code
 * 00:00:00:00:00:00} entry and the {@code remote} address when unknown). Like flannel's {@code
 * flannel.1}: {@code ip link add flannel.1 type vxlan id 1 local 192.168.0.1 dev eth0 dstport 8472
 * nolearning}.
 */
public final class Vxlan extends CarrierlessLink {

  /** Linux's default destination port when none is given (iproute2 warns; IANA is 4789). */
  public static final int LINUX_DEFAULT_PORT = 8472;

  private final int vni;
  private final Optional<IpAddress> local;
  private final Optional<IpAddress> remote;
  private final Optional<String> underlay;
  private final int dstPort;
  private final TreeMap<MacAddress, List<FdbEntry>> fdb = new TreeMap<>();

  public Vxlan(
      LinkContainer namespace,
      String name,
      int ifindex,
      MacAddress mac,
      int vni,
      Optional<IpAddress> local,
      Optional<IpAddress> remote,
      Optional<String> underlay,
      int dstPort) {
    // vxlan_config_apply: the lower device's MTU less the headers; 1500 without one (6.18)
    super(namespace, name, ifindex, mac, underlay.isPresent() ? 1450 : 1500);
    if (vni < 0 || vni > 0xffffff) {
      throw new IllegalArgumentException("vxlan: VNI must be 0..16777215, got " + vni);
    }
    this.vni = vni;
    this.local = local;
    this.remote = remote;
    this.underlay = underlay;
    this.dstPort = dstPort;
  }

  @Override
  public LinkKind kind() {
    return LinkKind.VXLAN;
  }

  public int vni() {
    return vni;
  }

  public Optional<IpAddress> local() {
    return local;
  }

  public Optional<IpAddress> remote() {
    return remote;
  }

  /** The underlay device ({@code dev eth0}). */
  public Optional<String> underlay() {
    return underlay;
  }

  public int dstPort() {
    return dstPort;
  }

  /** {@code bridge fdb append MAC dev DEV dst IP}. */
  public void addFdb(MacAddress mac, IpAddress dst) {
    var list = fdb.computeIfAbsent(mac, m -> new ArrayList<>());
    if (list.stream().noneMatch(e -> e.dst().equals(Optional.of(dst)))) {
      list.add(new FdbEntry(mac, name(), Optional.of(dst), FdbEntry.Kind.STATIC, 0));
    }
  }

  public void removeFdb(MacAddress mac) {
    fdb.remove(mac);
  }

  /** The remote VTEPs a frame to {@code mac} goes to: its entry, else the flood list. */
  public List<IpAddress> destinations(MacAddress mac) {
    var own = fdb.get(mac);
    if (own != null && !own.isEmpty()) {
      return own.stream().flatMap(e -> e.dst().stream()).toList();
    }
    var out = new ArrayList<IpAddress>();
    remote.ifPresent(out::add);
    for (var e : fdb.getOrDefault(MacAddress.ZERO, List.of())) {
      e.dst().ifPresent(out::add);
    }
    return out;
  }

  /** The FDB entries, sorted by MAC. */
  public List<FdbEntry> fdb() {
    return fdb.values().stream().flatMap(List::stream).toList();
  }
}
