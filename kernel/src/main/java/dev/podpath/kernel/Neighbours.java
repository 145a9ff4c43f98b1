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
 * (base_reachable_time). A resolution nobody answered leaves an entry without address, {@code
 * INCOMPLETE} while the kernel would still be soliciting (3 probes 1 s apart) and {@code FAILED}
 * after that; with fewer entries than gc_thresh1 it stays (seen on 6.18, IPv4 and IPv6). Resolution
 * itself (ARP, NDP) is done by the walk, which asks the L2 segment who has the address every time.
 */
public final class Neighbours {

  /** Seconds a resolved entry stays {@code REACHABLE}. */
  public static final long REACHABLE_NANOS = 30_000_000_000L;

  /** One entry of {@code ip neigh show}. */
  public record Entry(IpAddress address, String device, Optional<MacAddress> mac, String state) {}

  /** How long an unanswered resolution stays {@code INCOMPLETE}: mcast_solicit × retrans_time. */
  public static final long INCOMPLETE_NANOS = 3_000_000_000L;

  /** A resolution's result: the MAC found, or none when nobody answered. */
  private record Learned(Optional<MacAddress> mac, long confirmedNanos) {}

  private record Key(IpAddress address, String device) {}

  private final List<Entry> entries = new ArrayList<>();
  private final java.util.function.LongSupplier clock;
  private java.util.HashMap<Key, Learned> learned = new java.util.HashMap<>();

  Neighbours(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  /** Records what a resolution found ({@code REACHABLE} now). */
  public void learn(IpAddress address, String device, MacAddress mac) {
    learned.put(new Key(address, device), new Learned(Optional.of(mac), clock.getAsLong()));
  }

  /** Records a resolution nobody answered ({@code INCOMPLETE}, then {@code FAILED}). */
  public void fail(IpAddress address, String device) {
    learned.put(new Key(address, device), new Learned(Optional.empty(), clock.getAsLong()));
  }

  /** The learned entries as they are now; running the result puts them back. */
  Runnable snapshot() {
    var saved = new java.util.HashMap<>(learned);
    return () -> learned = new java.util.HashMap<>(saved);
  }

  /** {@code ip neigh replace}: adds or overwrites the entry for the address on the device. */
  public void put(IpAddress address, String device, MacAddress mac) {
    entries.removeIf(e -> e.address().equals(address) && e.device().equals(device));
    entries.add(new Entry(address, device, Optional.of(mac), "PERMANENT"));
  }

  /** {@code ip neigh del}; false when there was no such entry. */
  public boolean remove(IpAddress address, String device) {
    return entries.removeIf(e -> e.address().equals(address) && e.device().equals(device));
  }

  public Optional<MacAddress> find(IpAddress address, String device) {
    return entries.stream()
        .filter(e -> e.address().equals(address) && e.device().equals(device))
        .findFirst()
        .flatMap(Entry::mac);
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
                new Entry(k.address(), k.device(), v.mac(), state(v, now - v.confirmedNanos())));
          }
        });
    out.sort(Comparator.comparing(Entry::device).thenComparing(Entry::address));
    return out;
  }

  private static String state(Learned l, long age) {
    if (l.mac().isEmpty()) {
      return age < INCOMPLETE_NANOS ? "INCOMPLETE" : "FAILED";
    }
    return age <= REACHABLE_NANOS ? "REACHABLE" : "STALE";
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
