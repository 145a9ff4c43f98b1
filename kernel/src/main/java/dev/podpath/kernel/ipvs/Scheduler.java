package dev.podpath.kernel.ipvs;

import dev.podpath.net.Chooser;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The IPVS schedulers, as ipvsadm(8) and net/netfilter/ipvs/ip_vs_*.c define them. Servers of
 * weight 0 (quiesced) and over their upper threshold are never picked. Round robin and weighted
 * round robin keep a position; when a probe explores, that hidden position is explored as a choice
 * (uniform for rr, by weight for wrr), so each server gets its long-run share.
 */
public enum Scheduler {
  /** Round robin: the next available server after the last one picked. */
  RR,
  /** Weighted round robin: interleaved, each server picked in proportion to its weight. */
  WRR,
  /** Least connection: fewest {@code active*256 + inactive}. */
  LC,
  /** Weighted least connection: fewest {@code (active*256 + inactive) / weight}. */
  WLC,
  /** Source hashing: 256 buckets filled with servers (weight buckets each), by client address. */
  SH,
  /** Destination hashing: 256 buckets, one server per bucket in turn, by destination address. */
  DH,
  /** Shortest expected delay: fewest {@code (active + 1) / weight}. */
  SED,
  /** Never queue: an idle server (no active connection) if any, else as sed. */
  NQ;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scheduler> find(String word) {
    for (var s : values()) {
      if (s.word().equals(word)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The server for a new connection, if one is available. */
  Optional<RealServer> pick(VirtualService svc, Packet p, Chooser chooser) {
    var all = svc.servers;
    var avail = all.stream().filter(RealServer::available).toList();
    if (avail.isEmpty()) {
      return Optional.empty();
    }
    return switch (this) {
      case RR ->
          chooser.exploring()
              ? Optional.of(avail.get(chooser.uniform("ipvs rr position", avail.size())))
              : Optional.of(roundRobin(svc));
      case WRR ->
          chooser.exploring() ? Optional.of(byWeight(avail, chooser)) : weightedRoundRobin(svc);
      case LC -> Optional.of(least(avail, s -> (long) s.active * 256 + s.inactive, false));
      case WLC -> Optional.of(least(avail, s -> (long) s.active * 256 + s.inactive, true));
      case SED -> Optional.of(least(avail, s -> s.active + 1L, true));
      case NQ ->
          avail.stream()
              .filter(s -> s.active == 0)
              .findFirst()
              .or(() -> Optional.of(least(avail, s -> s.active + 1L, true)));
      case SH -> hashed(all, shBucket(p.src()), true);
      case DH -> hashed(all, dhBucket(p.dst()), false);
    };
  }

  private static RealServer roundRobin(VirtualService svc) {
    var all = svc.servers;
    for (int i = 1; i <= all.size(); i++) {
      int idx = Math.floorMod(svc.last + i, all.size());
      if (all.get(idx).available()) {
        svc.last = idx;
        return all.get(idx);
      }
    }
    throw new IllegalStateException("rr: no available server");
  }

  /**
   * ip_vs_wrr_schedule: step through the list, lowering the current weight by the gcd each round.
   */
  private static Optional<RealServer> weightedRoundRobin(VirtualService svc) {
    var all = svc.servers;
    int max = 0;
    int gcd = 0;
    for (var s : all) {
      if (s.available()) {
        max = Math.max(max, s.weight);
        gcd = gcd(gcd, s.weight);
      }
    }
    if (max == 0) {
      return Optional.empty();
    }
    for (int guard = 0; guard < all.size() * (max / gcd + 1) + 1; guard++) {
      svc.last = (svc.last + 1) % all.size();
      if (svc.last == 0) {
        svc.currentWeight -= gcd;
        if (svc.currentWeight <= 0) {
          svc.currentWeight = max;
        }
      }
      var s = all.get(svc.last);
      if (s.available() && s.weight >= svc.currentWeight) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static RealServer byWeight(List<RealServer> avail, Chooser chooser) {
    double total = avail.stream().mapToInt(s -> s.weight).sum();
    double[] p = new double[avail.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = avail.get(i).weight / total;
    }
    return avail.get(chooser.choose("ipvs wrr position", p));
  }

  /**
   * The server with the least overhead (divided by weight when {@code weighted}); ties: list order.
   */
  private static RealServer least(
      List<RealServer> avail,
      java.util.function.ToLongFunction<RealServer> overhead,
      boolean weighted) {
    RealServer best = avail.get(0);
    long bo = overhead.applyAsLong(best);
    for (var s : avail.subList(1, avail.size())) {
      long so = overhead.applyAsLong(s);
      boolean better = weighted ? bo * s.weight > so * best.weight : so < bo;
      if (better) {
        best = s;
        bo = so;
      }
    }
    return best;
  }

  private static Optional<RealServer> hashed(List<RealServer> all, int bucket, boolean byWeight) {
    // fill the 256 buckets the way ip_vs_sh_reassign / ip_vs_dh_reassign do
    var buckets = new ArrayList<RealServer>(256);
    int i = 0;
    int count = 0;
    while (buckets.size() < 256) {
      var s = all.get(i % all.size());
      buckets.add(s);
      if (!byWeight || ++count >= Math.max(1, s.weight)) {
        i++;
        count = 0;
      }
    }
    var s = buckets.get(bucket);
    return s.available() ? Optional.of(s) : Optional.empty();
  }

  /** hash_32(ntohl(addr), 8): the golden-ratio multiplicative hash's top 8 bits. */
  static int shBucket(IpAddress a) {
    int v = a instanceof Ipv4Address v4 ? v4.bits() : a.hashCode();
    return (v * 0x61C88647) >>> 24;
  }

  /** (ntohl(addr) * 2654435761) & 255. */
  static int dhBucket(IpAddress a) {
    long v = a instanceof Ipv4Address v4 ? v4.unsigned() : a.hashCode() & 0xffffffffL;
    return (int) ((v * 2654435761L) & 255);
  }
}
