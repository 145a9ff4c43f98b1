package dev.podpath.policy.analysis;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IntervalSet;
import dev.podpath.net.IpAddress;
import dev.podpath.policy.model.Workload;

/** A row or column of a connectivity matrix: a workload or a contiguous external range. */
public sealed interface ReachNode extends Comparable<ReachNode> {

  /** The text np-guard prints: {@code ns/name[Kind]} or {@code first-last[External]}. */
  String label();

  @Override
  default int compareTo(ReachNode o) {
    return label().compareTo(o.label());
  }

  record OfWorkload(Workload workload) implements ReachNode {
    @Override
    public String label() {
      return workload.toString();
    }
  }

  /** A contiguous interval of external addresses, part of one {@link ExternalPartition} region. */
  record Range(IpAddress first, IpAddress last) implements ReachNode {
    public AddressSet addresses() {
      return new AddressSet(
          IntervalSet.of(AddressSet.domain(first.family()), first, last), AddressSet.NONE.v6());
    }

    @Override
    public String label() {
      return first + "-" + last + "[External]";
    }
  }
}
