package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.VirtualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The address lists of {@code -m recent} (xt_recent), one per {@code --name}, with the module's
 * defaults: at most 100 addresses per list ({@code ip_list_tot}, the least recently seen goes
 * first) and 20 timestamps per address ({@code ip_pkt_list_tot}). Time is the virtual clock.
 */
final class RecentLists {

  /** One address's record: its recent timestamps (nanos, oldest first) and last TTL. */
  private record Entry(List<Long> stamps, int ttl) {
    Entry copy() {
      return new Entry(new ArrayList<>(stamps), ttl);
    }
  }

  static final int LIST_MAX = 100;
  static final int STAMPS_MAX = 20;

  private final VirtualClock clock;

  /** name -> address -> entry, in LRU order (least recently updated first). */
  private Map<String, LinkedHashMap<IpAddress, Entry>> lists = new TreeMap<>();

  RecentLists(VirtualClock clock) {
    this.clock = clock;
  }

  /** Evaluates one {@code recent} match as {@code recent_mt} does. */
  boolean match(Match.Recent m, IpAddress src, IpAddress dst, int packetTtl) {
    IpAddress addr = mask(m.side() == Match.RecentSide.SOURCE ? src : dst, m.mask());
    var list = lists.computeIfAbsent(m.name(), n -> new LinkedHashMap<>());
    boolean ret = m.inverted();
    Entry e = list.get(addr);
    if (e != null && m.rttl() && e.ttl() != packetTtl) {
      e = null;
    }
    if (e == null) {
      if (m.command() != Match.RecentCommand.SET) {
        return ret;
      }
      if (list.size() >= LIST_MAX) {
        list.remove(list.keySet().iterator().next());
      }
      list.put(addr, new Entry(new ArrayList<>(List.of(clock.nanos())), packetTtl));
      return !ret;
    }
    long now = clock.nanos();
    long since = now - m.seconds().orElse(0L) * 1_000_000_000L;
    switch (m.command()) {
      case SET -> ret = !ret;
      case REMOVE -> {
        list.remove(addr);
        return !ret;
      }
      case RCHECK, UPDATE -> {
        int hits = 0;
        for (long stamp : e.stamps()) {
          if (m.seconds().isPresent() && stamp < since) {
            continue;
          }
          if (m.hitCount().isEmpty() || ++hits >= m.hitCount().get()) {
            ret = !ret;
            break;
          }
        }
        if (m.reap()) {
          reap(list, since, addr, m.command() == Match.RecentCommand.UPDATE && ret);
        }
      }
    }
    if (m.command() == Match.RecentCommand.SET
        || (m.command() == Match.RecentCommand.UPDATE && ret)) {
      Entry cur = list.remove(addr);
      if (cur != null) {
        var stamps = new ArrayList<>(cur.stamps());
        stamps.add(now);
        if (stamps.size() > STAMPS_MAX) {
          stamps.remove(0);
        }
        list.put(addr, new Entry(stamps, packetTtl));
      }
    }
    return ret;
  }

  /**
   * {@code recent_entry_reap}: drops the least recently seen address if it is stale, even the one
   * just checked, unless it is about to be updated.
   */
  private static void reap(
      LinkedHashMap<IpAddress, Entry> list, long since, IpAddress working, boolean update) {
    var oldest = list.entrySet().iterator().next();
    if (oldest.getKey().equals(working) && update) {
      return;
    }
    List<Long> stamps = oldest.getValue().stamps();
    if (stamps.get(stamps.size() - 1) < since) {
      list.remove(oldest.getKey());
    }
  }

  /**
   * The addresses of a list with their last-seen time in nanos ({@code /proc/net/xt_recent/NAME}).
   */
  Map<IpAddress, Long> list(String name) {
    var out = new TreeMap<IpAddress, Long>();
    lists
        .getOrDefault(name, new LinkedHashMap<>())
        .forEach((a, e) -> out.put(a, e.stamps().get(e.stamps().size() - 1)));
    return out;
  }

  /** Forgets the lists no rule names any more (xt_recent frees a table with its last rule). */
  void retain(Set<String> names) {
    lists.keySet().retainAll(names);
  }

  /** The lists at one moment; opaque. */
  static final class Snapshot {
    private final Map<String, LinkedHashMap<IpAddress, Entry>> lists;

    private Snapshot(Map<String, LinkedHashMap<IpAddress, Entry>> lists) {
      this.lists = lists;
    }
  }

  Snapshot snapshot() {
    return new Snapshot(deepCopy(lists));
  }

  void restore(Snapshot snapshot) {
    lists = deepCopy(snapshot.lists);
  }

  private static Map<String, LinkedHashMap<IpAddress, Entry>> deepCopy(
      Map<String, LinkedHashMap<IpAddress, Entry>> from) {
    var copy = new TreeMap<String, LinkedHashMap<IpAddress, Entry>>();
    from.forEach(
        (n, l) -> {
          var c = new LinkedHashMap<IpAddress, Entry>();
          l.forEach((a, e) -> c.put(a, e.copy()));
          copy.put(n, c);
        });
    return copy;
  }

  private static IpAddress mask(IpAddress a, IpAddress mask) {
    return switch (a) {
      case Ipv4Address v4 when mask instanceof Ipv4Address m ->
          new Ipv4Address(v4.bits() & m.bits());
      case Ipv6Address v6 when mask instanceof Ipv6Address m ->
          new Ipv6Address(v6.high() & m.high(), v6.low() & m.low());
      default -> a; // a mask of the other family (an IPv4 default in an ip6tables rule): no masking
    };
  }
}
