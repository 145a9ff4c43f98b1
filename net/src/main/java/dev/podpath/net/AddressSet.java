package dev.podpath.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of IPv4 and IPv6 addresses as intervals per family: NetworkPolicy's ipBlock with its {@code
 * except} list is {@code of(cidr).difference(of(except...))}.
 */
public record AddressSet(IntervalSet<IpAddress> v4, IntervalSet<IpAddress> v6) {

  /** The addresses of one family as a discrete domain. */
  public static IntervalSet.Domain<IpAddress> domain(IpFamily family) {
    return family == IpFamily.IPV4 ? V4 : V6;
  }

  private static final IntervalSet.Domain<IpAddress> V4 = domainOf(IpPrefix.parse("0.0.0.0/0"));
  private static final IntervalSet.Domain<IpAddress> V6 = domainOf(IpPrefix.parse("::/0"));

  private static IntervalSet.Domain<IpAddress> domainOf(IpPrefix all) {
    return new IntervalSet.Domain<>() {
      @Override
      public IpAddress min() {
        return all.network();
      }

      @Override
      public IpAddress max() {
        return all.last();
      }

      @Override
      public IpAddress next(IpAddress value) {
        return value.plus(1);
      }

      @Override
      public IpAddress previous(IpAddress value) {
        return value.plus(-1);
      }
    };
  }

  public static final AddressSet NONE =
      new AddressSet(IntervalSet.empty(V4), IntervalSet.empty(V6));
  public static final AddressSet ALL = new AddressSet(IntervalSet.all(V4), IntervalSet.all(V6));

  public AddressSet {
    if (!v4.domain().equals(V4) || !v6.domain().equals(V6)) {
      throw new IllegalArgumentException("address set: v4 and v6 must use the family domains");
    }
  }

  public static AddressSet of(IpPrefix prefix) {
    var iv = IntervalSet.of(domain(prefix.family()), prefix.network(), prefix.last());
    return prefix.family() == IpFamily.IPV4
        ? new AddressSet(iv, NONE.v6)
        : new AddressSet(NONE.v4, iv);
  }

  public static AddressSet of(IpAddress address) {
    return of(IpPrefix.host(address));
  }

  public static AddressSet ofAll(List<IpPrefix> prefixes) {
    var v4 = new ArrayList<IntervalSet.Interval<IpAddress>>();
    var v6 = new ArrayList<IntervalSet.Interval<IpAddress>>();
    for (var p : prefixes) {
      (p.family() == IpFamily.IPV4 ? v4 : v6)
          .add(new IntervalSet.Interval<>(p.network(), p.last()));
    }
    return new AddressSet(IntervalSet.of(V4, v4), IntervalSet.of(V6, v6));
  }

  public boolean contains(IpAddress a) {
    return (a.family() == IpFamily.IPV4 ? v4 : v6).contains(a);
  }

  public boolean isEmpty() {
    return v4.isEmpty() && v6.isEmpty();
  }

  public AddressSet union(AddressSet o) {
    return new AddressSet(v4.union(o.v4), v6.union(o.v6));
  }

  public AddressSet intersection(AddressSet o) {
    return new AddressSet(v4.intersection(o.v4), v6.intersection(o.v6));
  }

  public AddressSet difference(AddressSet o) {
    return new AddressSet(v4.difference(o.v4), v6.difference(o.v6));
  }

  public boolean containsAll(AddressSet o) {
    return v4.containsAll(o.v4) && v6.containsAll(o.v6);
  }

  /** The smallest list of CIDR prefixes covering exactly this set, in address order. */
  public List<IpPrefix> toPrefixes() {
    var out = new ArrayList<IpPrefix>();
    for (var set : List.of(v4, v6)) {
      for (var iv : set.intervals()) {
        coverRange(iv.low(), iv.high(), out);
      }
    }
    return out;
  }

  private static void coverRange(IpAddress low, IpAddress high, List<IpPrefix> out) {
    var fam = low.family();
    var lo = low.toBigInteger();
    var hi = high.toBigInteger();
    while (lo.compareTo(hi) <= 0) {
      int len = fam.bits();
      while (len > 0) {
        var candidate = IpPrefix.of(IpAddress.fromBigInteger(fam, lo), len - 1);
        if (!candidate.network().toBigInteger().equals(lo)
            || candidate.last().toBigInteger().compareTo(hi) > 0) {
          break;
        }
        len--;
      }
      var p = new IpPrefix(IpAddress.fromBigInteger(fam, lo), len);
      out.add(p);
      lo = p.last().toBigInteger().add(java.math.BigInteger.ONE);
    }
  }

  @Override
  public String toString() {
    var parts = new ArrayList<String>();
    for (var p : toPrefixes()) {
      parts.add(p.toString());
    }
    return String.join(",", parts);
  }
}
