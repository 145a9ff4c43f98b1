package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpFamily;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One ipset of kube-proxy's IPVS mode with the entries one sync wants in it, in {@code ipset}'s
 * entry syntax ({@code 10.96.0.1,tcp:443}, {@code 30080}).
 */
public record IpSet(
    String name, IpSetType type, IpFamily family, String comment, SortedSet<String> entries) {

  public IpSet {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }

  /** The {@code create} line of {@code ipset save}. */
  public String createLine() {
    String fam = family == IpFamily.IPV4 ? "inet" : "inet6";
    return type == IpSetType.BITMAP_PORT
        ? "create " + name + " " + type + " range 0-65535"
        : "create " + name + " " + type + " family " + fam + " hashsize 1024 maxelem 65536";
  }

  /** {@code ipset save} text of this set. */
  public String save() {
    var sb = new StringBuilder(createLine()).append('\n');
    entries.forEach(e -> sb.append("add ").append(name).append(' ').append(e).append('\n'));
    return sb.toString();
  }
}
