package dev.podpath.kernel.route;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One routing table ({@code struct fib_table}): routes indexed by prefix length, so a look-up costs
 * at most one hash probe per prefix length however many routes there are. Among routes to the same
 * prefix the lowest metric wins, then the earliest added.
 */
public final class RoutingTable {

  private final int id;

  /** Per family, per prefix length: masked destination to routes, in insertion order. */
  private final Map<IpFamily, List<Map<IpPrefix, List<Route>>>> byLength = new HashMap<>();

  public RoutingTable(int id) {
    this.id = id;
    for (var f : IpFamily.values()) {
      var lengths = new ArrayList<Map<IpPrefix, List<Route>>>();
      for (int i = 0; i <= f.bits(); i++) {
        lengths.add(new HashMap<>());
      }
      byLength.put(f, lengths);
    }
  }

  public int id() {
    return id;
  }

  public void add(Route r) {
    byLength
        .get(r.destination().family())
        .get(r.destination().length())
        .computeIfAbsent(r.destination(), k -> new ArrayList<>())
        .add(r);
  }

  public boolean remove(Route r) {
    var m = byLength.get(r.destination().family()).get(r.destination().length());
    var list = m.get(r.destination());
    if (list == null || !list.remove(r)) {
      return false;
    }
    if (list.isEmpty()) {
      m.remove(r.destination());
    }
    return true;
  }

  /** Removes every route that {@code which} accepts; returns how many. */
  public int removeIf(Predicate<Route> which) {
    int n = 0;
    for (var lengths : byLength.values()) {
      for (var m : lengths) {
        for (var it = m.values().iterator(); it.hasNext(); ) {
          var list = it.next();
          int before = list.size();
          list.removeIf(which);
          n += before - list.size();
          if (list.isEmpty()) {
            it.remove();
          }
        }
      }
    }
    return n;
  }

  /** The routes to exactly {@code destination}. */
  public List<Route> exact(IpPrefix destination) {
    return List.copyOf(
        byLength
            .get(destination.family())
            .get(destination.length())
            .getOrDefault(destination.masked(), List.of()));
  }

  /**
   * The longest-prefix match for {@code address} among the routes {@code usable} accepts: the most
   * specific prefix that has a usable route, then its lowest metric.
   */
  public Optional<Route> lookup(IpAddress address, Predicate<Route> usable) {
    var lengths = byLength.get(address.family());
    for (int len = address.family().bits(); len >= 0; len--) {
      var m = lengths.get(len);
      if (m.isEmpty()) {
        continue;
      }
      var list = m.get(IpPrefix.of(address, len));
      if (list == null) {
        continue;
      }
      Route best = null;
      for (var r : list) {
        if (usable.test(r) && (best == null || r.metric() < best.metric())) {
          best = r;
        }
      }
      if (best != null) {
        return Optional.of(best);
      }
    }
    return Optional.empty();
  }

  /** Every route, sorted as {@code ip route show} sorts them (by family, prefix, then metric). */
  public List<Route> routes() {
    var out = new ArrayList<Route>();
    for (var lengths : byLength.values()) {
      for (var m : lengths) {
        m.values().forEach(out::addAll);
      }
    }
    out.sort(
        Comparator.comparing((Route r) -> r.destination().family())
            .thenComparing(r -> r.destination().network())
            .thenComparingInt(r -> r.destination().length())
            .thenComparingInt(Route::metric));
    return out;
  }
}
