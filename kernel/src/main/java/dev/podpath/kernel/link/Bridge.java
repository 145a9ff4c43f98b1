package dev.podpath.kernel.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Linux bridge: ports (enslaved devices), a forwarding database learned from source addresses
 * (and static entries), flooding of unknown destinations, hairpin mode per port, and its own
 * address, which makes it a device of the IP stack as well. A bridge has carrier while one of its
 * ports does, or while it has no port at all (as kernel 6.x reports {@code state UNKNOWN}).
 */
public final class Bridge extends Link {

  /** {@code ageing_time}: 300 s. */
  public static final long AGEING_NANOS = 300_000_000_000L;

  private final List<Link> ports = new ArrayList<>();
  private final TreeMap<MacAddress, FdbEntry> fdb = new TreeMap<>();
  private boolean hadPorts;

  public Bridge(LinkContainer namespace, String name, int ifindex, MacAddress mac) {
    super(namespace, name, ifindex, mac, 1500);
  }

  @Override
  public LinkKind kind() {
    return LinkKind.BRIDGE;
  }

  /**
   * A new bridge has carrier; once it has had ports, only while one of them is running (so a bridge
   * whose last port left shows {@code NO-CARRIER} and its routes {@code linkdown}).
   */
  @Override
  public boolean carrier() {
    return ports.isEmpty() ? !hadPorts : ports.stream().anyMatch(Link::running);
  }

  @Override
  public OperState operState() {
    if (!adminUp()) {
      return OperState.DOWN;
    }
    if (ports.isEmpty() && !hadPorts) {
      return OperState.UNKNOWN;
    }
    return carrier() ? OperState.UP : OperState.DOWN;
  }

  /**
   * The bridge's address: its own until it gets a port, then the lowest address of its ports, and
   * {@code 00:00:00:00:00:00} once the last one has left ({@code br_stp_recalculate_bridge_id},
   * which starts from {@code br_mac_zero}; seen on 6.18: {@code kcbr0} took {@code kcvp1}'s
   * address, and {@code ip link show} prints a zero address for a bridge whose ports were removed).
   */
  @Override
  public MacAddress mac() {
    return ports.stream()
        .map(Link::mac)
        .min(MacAddress::compareTo)
        .orElse(hadPorts ? MacAddress.ZERO : super.mac());
  }

  /** The ports, in the order they were added. */
  public List<Link> ports() {
    return List.copyOf(ports);
  }

  /** Enslaves {@code port} ({@code ip link set PORT master BRIDGE}). */
  public void addPort(Link port) {
    if (port == this) {
      throw new IllegalArgumentException("bridge: cannot enslave " + getName() + " to itself");
    }
    port.master().ifPresent(b -> b.removePort(port));
    ports.add(port);
    hadPorts = true;
    port.setMaster(this);
  }

  /** Releases {@code port} ({@code ip link set PORT nomaster}); forgets what was learned on it. */
  public void removePort(Link port) {
    ports.remove(port);
    port.setMaster(null);
    fdb.values().removeIf(e -> e.device().equals(port.name()) && e.kind() != FdbEntry.Kind.STATIC);
  }

  private String getName() {
    return name();
  }

  /** Learns that {@code mac} lives behind {@code port}, at virtual time {@code nanos}. */
  public void learn(MacAddress mac, Link port, long nanos) {
    if (!port.learning() || mac.isMulticast()) {
      return;
    }
    var existing = fdb.get(mac);
    if (existing != null && existing.kind() != FdbEntry.Kind.LEARNED) {
      return;
    }
    fdb.put(mac, new FdbEntry(mac, port.name(), Optional.empty(), FdbEntry.Kind.LEARNED, nanos));
  }

  /** Adds a static entry ({@code bridge fdb add MAC dev PORT master static}). */
  public void addStatic(MacAddress mac, Link port) {
    fdb.put(mac, new FdbEntry(mac, port.name(), Optional.empty(), FdbEntry.Kind.STATIC, 0));
  }

  /** The port {@code mac} was learned on, if known and not aged out at {@code nanos}. */
  public Optional<Link> lookup(MacAddress mac, long nanos) {
    var e = fdb.get(mac);
    if (e == null
        || (e.kind() == FdbEntry.Kind.LEARNED && nanos - e.updatedNanos() > AGEING_NANOS)) {
      return Optional.empty();
    }
    return ports.stream().filter(p -> p.name().equals(e.device())).findFirst();
  }

  /**
   * The forwarding database as {@code bridge fdb show} lists it for this bridge: learned and static
   * entries, then the local ({@code permanent}) entries of the ports and, when its address is not
   * one of theirs, of the bridge.
   */
  public List<FdbEntry> fdb() {
    var out = new ArrayList<>(fdb.values());
    for (var p : ports) {
      out.add(new FdbEntry(p.mac(), p.name(), Optional.empty(), FdbEntry.Kind.LOCAL, 0));
    }
    // The bridge's own entry, unless its address is a port's (one entry per address, kept on the
    // port) or zero (fdb_add_local refuses an invalid address).
    boolean aPorts = ports.stream().anyMatch(p -> p.mac().equals(mac()));
    if (!aPorts && !mac().equals(MacAddress.ZERO)) {
      out.add(new FdbEntry(mac(), name(), Optional.empty(), FdbEntry.Kind.LOCAL, 0));
    }
    return out;
  }

  /** A copy of the learned and static entries (for rolling back an exploration). */
  public TreeMap<MacAddress, FdbEntry> saveFdb() {
    return new TreeMap<>(fdb);
  }

  public void restoreFdb(TreeMap<MacAddress, FdbEntry> saved) {
    fdb.clear();
    fdb.putAll(saved);
  }
}
