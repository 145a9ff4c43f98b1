package dev.podpath.policy.analysis;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IntervalSet;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * The IPv4 space cut into the coarsest regions such that every given address set (an ipBlock,
 * {@code cidr} minus {@code except}) is a union of regions: the Venn regions of the sets. Each
 * region is kept as its maximal contiguous ranges, which become {@link ReachNode.Range} rows.
 */
public final class ExternalPartition {

  /** One region: its addresses and the contiguous ranges they form, in address order. */
  public record Region(AddressSet addresses, List<ReachNode.Range> ranges) {}

  private ExternalPartition() {}

  public static List<Region> of(List<AddressSet> sets) {
    var domain = AddressSet.domain(IpFamily.IPV4);
    var v4 = new ArrayList<IntervalSet<IpAddress>>();
    var cuts = new TreeSet<IpAddress>();
    cuts.add(domain.min());
    for (var s : sets) {
      if (s.v4().isEmpty() || v4.contains(s.v4())) {
        continue;
      }
      v4.add(s.v4());
      for (var iv : s.v4().intervals()) {
        cuts.add(iv.low());
        if (!iv.high().equals(domain.max())) {
          cuts.add(domain.next(iv.high()));
        }
      }
    }
    var regions = new LinkedHashMap<BitSet, List<IntervalSet.Interval<IpAddress>>>();
    var starts = new ArrayList<>(cuts);
    for (int i = 0; i < starts.size(); i++) {
      IpAddress low = starts.get(i);
      IpAddress high = i + 1 < starts.size() ? domain.previous(starts.get(i + 1)) : domain.max();
      var key = new BitSet();
      for (int s = 0; s < v4.size(); s++) {
        if (v4.get(s).contains(low)) {
          key.set(s);
        }
      }
      regions
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(new IntervalSet.Interval<>(low, high));
    }
    var out = new ArrayList<Region>();
    for (var ivs : regions.values()) {
      var set = IntervalSet.of(domain, ivs);
      var ranges =
          set.intervals().stream().map(iv -> new ReachNode.Range(iv.low(), iv.high())).toList();
      out.add(new Region(new AddressSet(set, AddressSet.NONE.v6()), ranges));
    }
    return out;
  }
}
