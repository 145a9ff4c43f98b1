package dev.podpath.kernel;

import dev.podpath.kernel.link.MacAddress;
import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The neighbour table: configured entries ({@code ip neigh add ADDR lladdr MAC dev D nud
 * permanent}, as flannel programs them for its VTEPs) and the entries the walk's resolutions left
 * behind, {@code REACHABLE} for 30 s after they were confirmed and {@code STALE} after that
 * (base_reachable_time). Resolution itself (ARP, NDP) is done by the walk, which asks the L2
 * segment who has the address every time.
 */
public final class Neighbours {

  /** Seconds a resolved entry stays {@code REACHABLE}. */
  public static final long REACHABLE_NANOS = 30_000_000_000L;

  /** One entry of {@code ip neigh show}. */
  public record Entry(IpAddress address, String device, MacAddress mac, String state) {}

  private record Learned(MacAddress mac, long confirmedNanos) {}

  private record Key(IpAddress address, String device) {}

  private final List<Entry> entries = new ArrayList<>();
  private final java.util.function.LongSupplier clock;
  private java.util.HashMap<Key, Learned> learned = new java.util.HashMap<>();

  Neighbours(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  /** Records what a resolution found ({@code REACHABLE} now). */
  public void learn(IpAddress address, String device, MacAddress mac) {
    learned.put(new Key(address, device), new Learned(mac, clock.getAsLong()));
  }

  /** The learned entries as they are now; running the result puts them back. */
  Runnable snapshot() {
    var saved = new java.util.HashMap<>(learned);
    return () -> learned = new java.util.HashMap<>(saved);
  }

  /** {@code ip neigh replace}: adds or overwrites the entry for the address on the device. */
  public void put(IpAddress address, String device, MacAddress mac) {
    entries.removeIf(e -> e.address().equals(address) && e.device().equals(device));
    entries.add(new Entry(address, device, mac, "PERMANENT"));
  }

  /** {@code ip neigh del}; false when there was no such entry. */
  public boolean remove(IpAddress address, String device) {
    return entries.removeIf(e -> e.address().equals(address) && e.device().equals(device));
  }

  public Optional<MacAddress> find(IpAddress address, String device) {
    return entries.stream()
        .filter(e -> e.address().equals(address) && e.device().equals(device))
        .map(Entry::mac)
        .findFirst();
  }

  /** The entries, configured and learned, by device then address. */
  public List<Entry> entries() {
    var out = new ArrayList<>(entries);
    long now = clock.getAsLong();
    learned.forEach(
        (k, v) -> {
          if (entries.stream()
              .noneMatch(e -> e.address().equals(k.address()) && e.device().equals(k.device()))) {
            out.add(
                new Entry(
                    k.address(),
                    k.device(),
                    v.mac(),
                    now - v.confirmedNanos() <= REACHABLE_NANOS ? "REACHABLE" : "STALE"));
          }
        });
    out.sort(Comparator.comparing(Entry::device).thenComparing(Entry::address));
    return out;
  }

  void forgetDevice(String device) {
    entries.removeIf(e -> e.device().equals(device));
    learned.keySet().removeIf(k -> k.device().equals(device));
  }

  void renameDevice(String from, String to) {
    entries.replaceAll(
        e -> e.device().equals(from) ? new Entry(e.address(), to, e.mac(), e.state()) : e);
    var moved = new java.util.HashMap<Key, Learned>();
    learned.forEach((k, v) -> moved.put(k.device().equals(from) ? new Key(k.address(), to) : k, v));
    learned = moved;
  }
}
