package dev.podpath.policy.analysis;

import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.Semantics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changes between two versions of a cluster's manifests: for each (source, destination) pair,
 * the connections opened and closed. Both versions are analysed over one partition of the external
 * addresses (the ipBlocks of both), so external ranges compare like for like.
 */
public final class ReachDiff {

  /** One pair whose connections changed. */
  public record Change(
      String source, String destination, ConnectionSet opened, ConnectionSet closed) {

    /** {@code + SRC => DST : CONNS} and/or {@code - SRC => DST : CONNS} lines. */
    public List<String> lines() {
      var out = new ArrayList<String>();
      if (!opened.isEmpty()) {
        out.add("+ " + source + " => " + destination + " : " + opened);
      }
      if (!closed.isEmpty()) {
        out.add("- " + source + " => " + destination + " : " + closed);
      }
      return out;
    }
  }

  private ReachDiff() {}

  public static List<Change> between(ClusterState older, ClusterState newer, Semantics sem) {
    var oldIndex = new PolicyIndex(older, sem);
    var newIndex = new PolicyIndex(newer, sem);
    var src = new ArrayList<>(oldIndex.ipBlocks(Direction.INGRESS));
    src.addAll(newIndex.ipBlocks(Direction.INGRESS));
    var dst = new ArrayList<>(oldIndex.ipBlocks(Direction.EGRESS));
    dst.addAll(newIndex.ipBlocks(Direction.EGRESS));
    var before = table(Reachability.of(older, sem, src, dst));
    var after = table(Reachability.of(newer, sem, src, dst));
    var keys =
        new TreeSet<List<String>>(
            (a, b) -> {
              int c = a.get(0).compareTo(b.get(0));
              return c != 0 ? c : a.get(1).compareTo(b.get(1));
            });
    keys.addAll(before.keySet());
    keys.addAll(after.keySet());
    var out = new ArrayList<Change>();
    for (var k : keys) {
      var b = before.getOrDefault(k, ConnectionSet.NONE);
      var a = after.getOrDefault(k, ConnectionSet.NONE);
      if (!a.equals(b)) {
        out.add(new Change(k.get(0), k.get(1), a.difference(b), b.difference(a)));
      }
    }
    return out;
  }

  private static Map<List<String>, ConnectionSet> table(Reachability r) {
    var out =
        new TreeMap<List<String>, ConnectionSet>(
            (a, b) -> {
              int c = a.get(0).compareTo(b.get(0));
              return c != 0 ? c : a.get(1).compareTo(b.get(1));
            });
    r.forEachConnection(
        Focus.NONE,
        c -> out.put(List.of(c.source().label(), c.destination().label()), c.allowed()));
    return out;
  }
}
