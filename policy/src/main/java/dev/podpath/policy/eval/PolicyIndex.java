package dev.podpath.policy.eval;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.PortSet;
import dev.podpath.net.Protocol;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.Peer;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Policy;
import dev.podpath.policy.model.PortMatch;
import dev.podpath.policy.model.Rule;
import dev.podpath.policy.model.Semantics;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The policies of a cluster numbered for fast matching: every policy, peer and referenced named
 * port gets an id, every rule its ports pre-resolved where they are numbers. Computes the {@link
 * Signature} of pods and external address sets; {@link Judge} decides on signatures.
 */
public final class PolicyIndex {

  /** A rule with its peer ids and its numeric ports already combined. */
  record IndexedRule(
      Policy policy,
      Rule rule,
      int[] peerIds,
      ConnectionSet numbered,
      int[] namedIds,
      Protocol[] namedProtocols) {}

  /** A named port as referenced by rules: resolution is per (name, protocol). */
  record NamedKey(String name, Protocol protocol) {}

  private final ClusterState state;
  private final Semantics mode;
  private final List<Policy> policies;
  private final List<Peer> peers = new ArrayList<>();
  private final List<NamedKey> named = new ArrayList<>();
  private final Map<NamedKey, Integer> namedIds = new HashMap<>();
  private final List<List<IndexedRule>> ingressRules = new ArrayList<>();
  private final List<List<IndexedRule>> egressRules = new ArrayList<>();
  private final Map<String, List<Integer>> policiesByNamespace = new HashMap<>();
  private final List<Integer> ipBlockPeers = new ArrayList<>();
  private final List<Integer> ownNamespacePeers = new ArrayList<>();
  private final List<Integer> namespaceSelectorPeers = new ArrayList<>();
  private final Map<String, List<Integer>> peersForNamespace = new HashMap<>();
  private final Map<LabelKey, BitSet[]> labelCache = new HashMap<>();
  private @Nullable List<Block> blocks;

  private record LabelKey(String namespace, Map<String, String> labels, PodInfo.Network network) {}

  public PolicyIndex(ClusterState state, Semantics mode) {
    this.state = state;
    this.mode = mode;
    this.policies = state.policies();
    for (int i = 0; i < policies.size(); i++) {
      Policy p = policies.get(i);
      policiesByNamespace.computeIfAbsent(p.namespace(), n -> new ArrayList<>()).add(i);
      ingressRules.add(index(p, p.ingress()));
      egressRules.add(index(p, p.egress()));
    }
  }

  private List<IndexedRule> index(Policy p, List<Rule> rules) {
    var out = new ArrayList<IndexedRule>();
    for (Rule r : rules) {
      int[] ids = new int[r.peers().size()];
      for (int i = 0; i < ids.length; i++) {
        Peer peer = r.peers().get(i);
        ids[i] = peers.size();
        peers.add(peer);
        switch (peer) {
          case Peer.IpBlock b -> ipBlockPeers.add(ids[i]);
          case Peer.Pods pods ->
              (pods.namespaces().isPresent() ? namespaceSelectorPeers : ownNamespacePeers)
                  .add(ids[i]);
        }
      }
      ConnectionSet numbered = r.ports().isEmpty() ? ConnectionSet.ALL : ConnectionSet.NONE;
      var nIds = new ArrayList<Integer>();
      var nProtos = new ArrayList<Protocol>();
      for (PortMatch pm : r.ports()) {
        switch (pm) {
          case PortMatch.Numbered n ->
              numbered = numbered.union(ConnectionSet.of(n.protocol(), n.ports()));
          case PortMatch.Named n -> {
            var key = new NamedKey(n.name(), n.protocol());
            nIds.add(
                namedIds.computeIfAbsent(
                    key,
                    k -> {
                      named.add(k);
                      return named.size() - 1;
                    }));
            nProtos.add(n.protocol());
          }
        }
      }
      out.add(
          new IndexedRule(
              p,
              r,
              ids,
              numbered,
              nIds.stream().mapToInt(Integer::intValue).toArray(),
              nProtos.toArray(new Protocol[0])));
    }
    return out;
  }

  public ClusterState state() {
    return state;
  }

  public Semantics mode() {
    return mode;
  }

  public Policy policy(int id) {
    return policies.get(id);
  }

  public int policyCount() {
    return policies.size();
  }

  public int peerCount() {
    return peers.size();
  }

  public Peer peer(int id) {
    return peers.get(id);
  }

  /** The ipBlock address sets of one direction's rules (to partition external addresses). */
  public List<AddressSet> ipBlocks(Direction d) {
    var out = new ArrayList<AddressSet>();
    for (var rules : d == Direction.INGRESS ? ingressRules : egressRules) {
      for (var r : rules) {
        for (Peer p : r.rule().peers()) {
          if (p instanceof Peer.IpBlock b) {
            out.add(b.addresses());
          }
        }
      }
    }
    return out;
  }

  List<IndexedRule> rules(Direction d, int policyId) {
    return (d == Direction.INGRESS ? ingressRules : egressRules).get(policyId);
  }

  /** What a rule's ports allow towards a destination with this signature. */
  ConnectionSet ports(IndexedRule r, Signature dst) {
    ConnectionSet out = r.numbered();
    for (int i = 0; i < r.namedIds().length; i++) {
      PortSet ps =
          dst.kind() == Signature.Kind.POD ? dst.namedPorts().get(r.namedIds()[i]) : PortSet.NONE;
      if (!ps.isEmpty()) {
        out = out.union(ConnectionSet.of(r.namedProtocols()[i], ps));
      }
    }
    return out;
  }

  /** The signature of a pod. */
  public Signature signature(PodInfo pod) {
    BitSet[] labelBits =
        labelCache.computeIfAbsent(
            new LabelKey(pod.namespace(), pod.labels(), pod.network()), k -> labelBits(pod));
    BitSet peerBits = (BitSet) labelBits[1].clone();
    if (mode == Semantics.KUBERNETES && !pod.ips().isEmpty()) {
      IpAddress ip = pod.ips().get(0);
      for (var block : blocks()) {
        if (block.contains(ip)) {
          for (int id : block.peerIds()) {
            peerBits.set(id);
          }
        }
      }
    }
    var resolved = new ArrayList<PortSet>(named.size());
    for (NamedKey k : named) {
      PortSet ps = PortSet.NONE;
      for (var cp : pod.ports()) {
        if (cp.protocol() == k.protocol() && cp.name().filter(k.name()::equals).isPresent()) {
          ps = ps.union(PortSet.of(cp.port()));
        }
      }
      resolved.add(ps);
    }
    return new Signature(Signature.Kind.POD, labelBits[0], peerBits, resolved);
  }

  private BitSet[] labelBits(PodInfo pod) {
    var selected = new BitSet();
    var matched = new BitSet();
    if (pod.network() == PodInfo.Network.HOST && mode == Semantics.KUBERNETES) {
      return new BitSet[] {selected, matched};
    }
    for (int id : policiesByNamespace.getOrDefault(pod.namespace(), List.of())) {
      if (policies.get(id).podSelector().matches(pod.labels())) {
        selected.set(id);
      }
    }
    for (int id : peersForNamespace.computeIfAbsent(pod.namespace(), this::candidatePeers)) {
      if (((Peer.Pods) peers.get(id)).pods().matches(pod.labels())) {
        matched.set(id);
      }
    }
    return new BitSet[] {selected, matched};
  }

  /** Pod peers whose namespace part admits the namespace: only their pod selector is left. */
  private List<Integer> candidatePeers(String namespace) {
    var labels = state.namespaceLabels(namespace);
    var out = new ArrayList<Integer>();
    for (int id : ownNamespacePeers) {
      if (((Peer.Pods) peers.get(id)).policyNamespace().equals(namespace)) {
        out.add(id);
      }
    }
    for (int id : namespaceSelectorPeers) {
      if (((Peer.Pods) peers.get(id)).namespaces().orElseThrow().matches(labels)) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * The distinct ipBlock address sets with the peers that use them; IPv4 intervals kept as unsigned
   * numbers so that matching a pod IP costs a binary search of longs.
   */
  private List<Block> blocks() {
    if (blocks == null) {
      var bySet = new java.util.LinkedHashMap<AddressSet, List<Integer>>();
      for (int id : ipBlockPeers) {
        bySet
            .computeIfAbsent(((Peer.IpBlock) peers.get(id)).addresses(), k -> new ArrayList<>())
            .add(id);
      }
      var out = new ArrayList<Block>();
      bySet.forEach((set, ids) -> out.add(Block.of(set, ids)));
      blocks = out;
    }
    return blocks;
  }

  /** One distinct ipBlock set and the ids of the peers that use it. */
  private record Block(AddressSet set, long[] v4, int[] peerIds) {
    static Block of(AddressSet set, List<Integer> ids) {
      var ivs = set.v4().intervals();
      long[] v4 = new long[ivs.size() * 2];
      for (int i = 0; i < ivs.size(); i++) {
        v4[2 * i] = ((Ipv4Address) ivs.get(i).low()).bits() & 0xffffffffL;
        v4[2 * i + 1] = ((Ipv4Address) ivs.get(i).high()).bits() & 0xffffffffL;
      }
      return new Block(set, v4, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    boolean contains(IpAddress ip) {
      if (!(ip instanceof Ipv4Address a)) {
        return set.contains(ip);
      }
      long x = a.bits() & 0xffffffffL;
      int lo = 0;
      int hi = v4.length / 2 - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (x < v4[2 * mid]) {
          hi = mid - 1;
        } else if (x > v4[2 * mid + 1]) {
          lo = mid + 1;
        } else {
          return true;
        }
      }
      return false;
    }
  }

  /** The signature of external addresses (they must all lie in or out of each ipBlock). */
  public Signature signature(AddressSet addresses) {
    var matched = new BitSet();
    for (int id : ipBlockPeers) {
      var block = ((Peer.IpBlock) peers.get(id)).addresses();
      if (!addresses.isEmpty() && block.containsAll(addresses)) {
        matched.set(id);
      }
    }
    return new Signature(Signature.Kind.EXTERNAL, new BitSet(), matched, List.of());
  }

  /** The signature of an endpoint. */
  public Signature signature(Endpoint e) {
    return switch (e) {
      case Endpoint.Pod p -> signature(p.pod());
      case Endpoint.External x -> signature(x.addresses());
    };
  }

  @Override
  public String toString() {
    return "PolicyIndex["
        + policies.size()
        + " policies, "
        + peers.size()
        + " peers, "
        + named.size()
        + " named ports, mode "
        + mode
        + "]";
  }
}
