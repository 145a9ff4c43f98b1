package dev.podpath.shell.ipset;

import dev.podpath.kernel.ipset.SetListing;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.net.IpFamily;
import java.util.List;

/**
 * {@code ipset list} text: {@code Name}, {@code Type}, {@code Revision}, {@code Header}, {@code
 * Size in memory}, {@code References}, {@code Number of entries}, {@code Members}; sets separated
 * by a blank line. Revisions and sizes are what Linux 6.18 reports; the size assumes every member
 * has a hash bucket of its own (the kernel's figure is smaller when members share buckets, which
 * depends on its random {@code initval}).
 */
final class ListText {

  private ListText() {}

  static String list(List<SetListing> sets, boolean terse, boolean namesOnly) {
    var sb = new StringBuilder();
    for (SetListing l : sets) {
      if (namesOnly) {
        sb.append(l.spec().name()).append('\n');
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      var spec = l.spec();
      sb.append("Name: ").append(spec.name()).append('\n');
      sb.append("Type: ").append(spec.type()).append('\n');
      sb.append("Revision: ").append(revision(spec.type())).append('\n');
      sb.append("Header: ").append(spec.header()).append('\n');
      sb.append("Size in memory: ").append(memory(l)).append('\n');
      sb.append("References: ").append(l.references()).append('\n');
      sb.append("Number of entries: ").append(l.members().size()).append('\n');
      if (!terse) {
        sb.append("Members:\n");
        l.members().forEach(m -> sb.append(m).append('\n'));
      }
    }
    return sb.toString();
  }

  /** The newest revision of each type in Linux 6.18. */
  static int revision(SetType type) {
    return switch (type) {
      case HASH_IP -> 6;
      case HASH_IP_PORT -> 7;
      case HASH_NET -> 7;
      case HASH_NET_PORT -> 8;
      case HASH_IP_PORT_IP -> 6;
      case HASH_IP_PORT_NET -> 8;
      case BITMAP_PORT -> 3;
    };
  }

  /**
   * {@code Size in memory}, as measured on Linux 6.18 (x86_64) for sets of 0–8 members, one per
   * bucket: a base per type and family, plus a bucket per member (24 bytes more with timeouts); a
   * bitmap:port set is 72 bytes plus one bit per port of its range, in 8-byte words.
   */
  static long memory(SetListing l) {
    var spec = l.spec();
    int n = l.members().size();
    boolean v6 = spec.family() == IpFamily.IPV6;
    if (spec.type() == SetType.BITMAP_PORT) {
      var r = spec.range().orElseThrow();
      long bits = r.high() - r.low() + 1L;
      return 72 + (bits + 63) / 64 * 8;
    }
    int[] basePer =
        switch (spec.type()) {
          case HASH_IP -> v6 ? new int[] {224, 64} : new int[] {216, 40};
          case HASH_IP_PORT -> v6 ? new int[] {232, 72} : new int[] {216, 48};
          case HASH_IP_PORT_IP -> v6 ? new int[] {232, 104} : new int[] {208, 56};
          case HASH_IP_PORT_NET -> v6 ? new int[] {1256, 104} : new int[] {464, 56};
          case HASH_NET, HASH_NET_PORT -> v6 ? new int[] {1240, 72} : new int[] {456, 48};
          case BITMAP_PORT -> throw new IllegalStateException("unreachable");
        };
    int per = basePer[1] + (spec.timeout().isPresent() ? 24 : 0);
    return basePer[0] + (long) per * n;
  }
}
