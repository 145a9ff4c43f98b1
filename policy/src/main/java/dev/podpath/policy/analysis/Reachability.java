package dev.podpath.policy.analysis;

import dev.podpath.net.AddressSet;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.eval.Signature;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Semantics;
import dev.podpath.policy.model.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Connectivity between workloads (pods grouped by controlling owner) and external IPv4 ranges.
 *
 * <p>Pods and external regions are grouped into equivalence classes by {@link Signature}: what
 * every policy can observe of them. The decision is made once per pair of classes (a row of
 * decisions per source class, computed on demand and cached), so the cost of deciding grows with
 * the number of classes the policies can tell apart, not with the number of pods; listing the lines
 * then costs one array look-up per (source, destination) pair.
 */
public final class Reachability {
  private static final int ROW_CACHE = 512;
  private static final int NONE_ID = 0;

  private final Judge judge;
  private final List<Signature> classes = new ArrayList<>();
  private final Map<Signature, Integer> classIds = new HashMap<>();
  private final Map<ReachNode, int[]> nodeClasses = new HashMap<>();
  private final List<ReachNode> sources;
  private final List<ReachNode> destinations;
  private final int[][] sourceClasses;
  private final int[][] destinationClasses;
  private final List<ConnectionSet> interned = new ArrayList<>();
  private final Map<ConnectionSet, Integer> internIds = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<Integer, @Nullable BitSet> ingressCandidates = new HashMap<>();
  private final Map<Integer, @Nullable BitSet> egressCandidates = new HashMap<>();
  private @Nullable List<BitSet> peerClasses;
  private final Map<Integer, int[]> rows =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, int[]> e) {
          return size() > ROW_CACHE;
        }
      };

  private Reachability(
      ClusterState state,
      Semantics mode,
      List<AddressSet> refineSources,
      List<AddressSet> refineDestinations) {
    this.judge = new Judge(new PolicyIndex(state, mode));
    intern(ConnectionSet.NONE);
    var index = judge.index();
    var byWorkload = new HashMap<Workload, TreeSet<Integer>>();
    for (PodInfo p : state.pods()) {
      byWorkload
          .computeIfAbsent(p.workload(), w -> new TreeSet<>())
          .add(classOf(index.signature(p)));
    }
    var src = new ArrayList<ReachNode>();
    var dst = new ArrayList<ReachNode>();
    byWorkload.forEach(
        (w, ids) -> {
          var node = new ReachNode.OfWorkload(w);
          nodeClasses.put(node, ids.stream().mapToInt(Integer::intValue).toArray());
          src.add(node);
          dst.add(node);
          if (ids.size() > 1) {
            warnings.add(
                "pods of workload "
                    + w
                    + " differ in what the policies select;"
                    + " its connections are the union over its pods");
          }
        });
    warnings.sort(null);
    addExternal(Direction.INGRESS, refineSources, src);
    addExternal(Direction.EGRESS, refineDestinations, dst);
    this.sources = sortedByLabel(src);
    this.destinations = sortedByLabel(dst);
    this.sourceClasses = sources.stream().map(nodeClasses::get).toArray(int[][]::new);
    this.destinationClasses = destinations.stream().map(nodeClasses::get).toArray(int[][]::new);
  }

  /** Sorts by label, computing each label once. */
  private static List<ReachNode> sortedByLabel(List<ReachNode> nodes) {
    record Keyed(String label, ReachNode node) {}
    return nodes.stream()
        .map(n -> new Keyed(n.label(), n))
        .sorted(Comparator.comparing(Keyed::label))
        .map(Keyed::node)
        .toList();
  }

  /** Computes the connectivity of a cluster state. */
  public static Reachability of(ClusterState state, Semantics mode) {
    return new Reachability(state, mode, List.of(), List.of());
  }

  /**
   * Computes the connectivity with external ranges cut finer: also along the given address sets
   * (used by diffs, so both versions share one partition).
   */
  public static Reachability of(
      ClusterState state,
      Semantics mode,
      List<AddressSet> refineSources,
      List<AddressSet> refineDestinations) {
    return new Reachability(state, mode, refineSources, refineDestinations);
  }

  private void addExternal(Direction d, List<AddressSet> refine, List<ReachNode> into) {
    var sets = new ArrayList<>(judge.index().ipBlocks(d));
    sets.addAll(refine);
    for (var region : ExternalPartition.of(sets)) {
      int id = classOf(judge.index().signature(region.addresses()));
      for (var r : region.ranges()) {
        nodeClasses.put(r, new int[] {id});
        into.add(r);
      }
    }
  }

  private int classOf(Signature s) {
    return classIds.computeIfAbsent(
        s,
        k -> {
          classes.add(k);
          return classes.size() - 1;
        });
  }

  private int intern(ConnectionSet c) {
    if (c.isEmpty() && !interned.isEmpty()) {
      return NONE_ID;
    }
    return internIds.computeIfAbsent(
        c,
        k -> {
          interned.add(k);
          return interned.size() - 1;
        });
  }

  public Judge judge() {
    return judge;
  }

  /** Number of equivalence classes (pods and external regions together). */
  public int classCount() {
    return classes.size();
  }

  public List<ReachNode> sources() {
    return sources;
  }

  public List<ReachNode> destinations() {
    return destinations;
  }

  /** Remarks about the input (workloads whose pods policies tell apart). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private int[] row(int src) {
    int[] row = rows.get(src);
    if (row == null) {
      row = new int[classes.size()];
      Arrays.fill(row, -1);
      rows.put(src, row);
    }
    return row;
  }

  private int decide(int[] row, int src, int dst) {
    if (row[dst] < 0) {
      row[dst] =
          cannotConnect(src, dst)
              ? NONE_ID
              : intern(judge.allowed(classes.get(src), classes.get(dst)));
    }
    return row[dst];
  }

  /**
   * Whether the pair is denied for want of a matching peer: the destination is isolated for ingress
   * and the source matches none of its admitting peers, or the source is isolated for egress and
   * the destination matches none of its. One bit test instead of a decision.
   */
  private boolean cannotConnect(int src, int dst) {
    BitSet in = candidates(Direction.INGRESS, dst);
    if (in != null && !in.get(src)) {
      return true;
    }
    BitSet out = candidates(Direction.EGRESS, src);
    return out != null && !out.get(dst);
  }

  /** The classes a class could admit in one direction; {@code null} when not isolated. */
  private @Nullable BitSet candidates(Direction d, int cls) {
    var cache = d == Direction.INGRESS ? ingressCandidates : egressCandidates;
    if (!cache.containsKey(cls)) {
      cache.put(
          cls,
          judge
              .admitting(d, classes.get(cls))
              .map(
                  a -> {
                    var out = new BitSet();
                    if (a.anyPeer()) {
                      out.set(0, classes.size());
                    }
                    for (int p = a.peers().nextSetBit(0); p >= 0; p = a.peers().nextSetBit(p + 1)) {
                      if (p < peerClasses().size()) {
                        out.or(peerClasses().get(p));
                      }
                    }
                    return out;
                  })
              .orElse(null));
    }
    return cache.get(cls);
  }

  /** For each peer id, the classes whose signature matches it. */
  private List<BitSet> peerClasses() {
    if (peerClasses == null) {
      var out = new ArrayList<BitSet>();
      for (int c = 0; c < classes.size(); c++) {
        var bits = classes.get(c).peers();
        for (int p = bits.nextSetBit(0); p >= 0; p = bits.nextSetBit(p + 1)) {
          while (out.size() <= p) {
            out.add(new BitSet());
          }
          out.get(p).set(c);
        }
      }
      peerClasses = out;
    }
    return peerClasses;
  }

  /** What {@code src} may open towards {@code dst}: the union over their pods' classes. */
  public ConnectionSet connections(ReachNode src, ReachNode dst) {
    int[] a = nodeClasses.get(src);
    int[] b = nodeClasses.get(dst);
    if (a == null || b == null) {
      throw new IllegalArgumentException(
          "not a node of this analysis: " + (a == null ? src : dst).label());
    }
    return union(a, b);
  }

  private ConnectionSet union(int[] a, int[] b) {
    ConnectionSet out = ConnectionSet.NONE;
    for (int s : a) {
      int[] row = row(s);
      for (int d : b) {
        out = out.union(interned.get(decide(row, s, d)));
      }
    }
    return out;
  }

  /** Every allowed line kept by the focus, sorted by source then destination label. */
  public void forEachConnection(Focus focus, Consumer<Connection> sink) {
    boolean all = focus.equals(Focus.NONE);
    for (int i = 0; i < sources.size(); i++) {
      ReachNode s = sources.get(i);
      int[] sc = sourceClasses[i];
      boolean external = s instanceof ReachNode.Range;
      int[] row = sc.length == 1 ? row(sc[0]) : null;
      for (int j = 0; j < destinations.size(); j++) {
        ReachNode d = destinations.get(j);
        if ((external && d instanceof ReachNode.Range)
            || s.equals(d)
            || (!all && !focus.keeps(s, d))) {
          continue;
        }
        int[] dc = destinationClasses[j];
        if (row != null && dc.length == 1) {
          int id = decide(row, sc[0], dc[0]);
          if (id != NONE_ID) { // every other interned set is non-empty
            sink.accept(new Connection(s, d, interned.get(id)));
          }
          continue;
        }
        ConnectionSet c = union(sc, dc);
        if (!c.isEmpty()) {
          sink.accept(new Connection(s, d, c));
        }
      }
    }
  }

  public List<Connection> connections(Focus focus) {
    var out = new ArrayList<Connection>();
    forEachConnection(focus, out::add);
    return out;
  }
}
