package dev.podpath.policy.enforce;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IntervalSet;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles the NetworkPolicies of a cluster into one node's filter-table rules, the way
 * iptables-based policy agents (kube-router) do, with peers expanded to addresses instead of
 * ipsets. This is an implementation independent of {@code dev.podpath.policy.eval}: it reads the
 * model and selectors, never the judge.
 *
 * <pre>
 * FORWARD --1--> PODPATH-FORWARD --(-s|-d local isolated pod)--> PODPATH-POD-&lt;hash&gt;
 * OUTPUT  --1--> PODPATH-OUTPUT  --(-d local isolated pod)-----> PODPATH-POD-&lt;hash&gt;
 *
 * PODPATH-POD-&lt;hash&gt;:  RELATED,ESTABLISHED -> ACCEPT;  INVALID -> DROP;
 *                      from the node itself (src-type LOCAL) to the pod -> ACCEPT;
 *                      ingress: -d pod -> each selecting policy's PODPATH-NWP chain,
 *                               then no mark 0x10000 -> DROP;
 *                      egress:  -s pod -> each selecting policy's PODPATH-NWP chain,
 *                               then no mark 0x20000 -> DROP
 * PODPATH-NWP-&lt;hash&gt;:  one rule per (peer address, port) of each policy rule,
 *                      setting mark 0x10000 (ingress) or 0x20000 (egress)
 * </pre>
 *
 * Only pods with their own network namespace, an IPv4 address and this node's name are enforced
 * here; traffic from the node to its own pods is accepted (kubelet probes), as Calico and
 * kube-router do.
 */
public final class RuleCompiler {
  static final String INGRESS_MARK = "0x10000/0x10000";
  static final String EGRESS_MARK = "0x20000/0x20000";

  private final ClusterState state;
  private final List<PodInfo> cluster;

  private RuleCompiler(ClusterState state) {
    this.state = state;
    this.cluster =
        state.pods().stream()
            .filter(p -> p.network() == PodInfo.Network.POD && ipv4(p).isPresent())
            .toList();
  }

  /** The ruleset of one node; {@code previous} chains no longer wanted are deleted. */
  public static NodeRuleset compile(ClusterState state, String node, Set<String> previous) {
    return new RuleCompiler(state).node(node, previous);
  }

  private static Optional<IpAddress> ipv4(PodInfo p) {
    return p.ips().stream().filter(ip -> ip.family() == IpFamily.IPV4).findFirst();
  }

  private static String host(PodInfo p) {
    return ipv4(p).orElseThrow() + "/32";
  }

  private boolean selects(Policy policy, PodInfo pod, Direction d) {
    return policy.isolates(d)
        && policy.namespace().equals(pod.namespace())
        && policy.podSelector().matches(pod.labels());
  }

  private NodeRuleset node(String node, Set<String> previous) {
    var local = cluster.stream().filter(p -> p.node().filter(node::equals).isPresent()).toList();
    var forward = new ArrayList<String>();
    var output = new ArrayList<String>();
    var chains = new TreeMap<String, List<String>>();
    var policyChains = new TreeMap<String, List<String>>();
    for (PodInfo pod : local) {
      var in = state.policies().stream().filter(p -> selects(p, pod, Direction.INGRESS)).toList();
      var out = state.policies().stream().filter(p -> selects(p, pod, Direction.EGRESS)).toList();
      if (in.isEmpty() && out.isEmpty()) {
        continue;
      }
      String chain = ChainNames.pod(pod.namespace(), pod.name());
      var rules = new ArrayList<String>();
      rules.add(
          new RuleText()
              .comment(pod.key())
              .match("-m conntrack --ctstate RELATED,ESTABLISHED")
              .jump("ACCEPT")
              .line(chain));
      rules.add(new RuleText().match("-m conntrack --ctstate INVALID").jump("DROP").line(chain));
      rules.add(
          new RuleText()
              .destination(host(pod))
              .comment("from the node to its own pod")
              .match("-m addrtype --src-type LOCAL")
              .jump("ACCEPT")
              .line(chain));
      if (!in.isEmpty()) {
        isolate(pod, Direction.INGRESS, in, chain, rules, policyChains, local);
        forward.add(
            new RuleText()
                .destination(host(pod))
                .comment(pod.key() + " ingress")
                .jump(chain)
                .line(ChainNames.FORWARD));
        output.add(
            new RuleText()
                .destination(host(pod))
                .comment(pod.key() + " ingress")
                .jump(chain)
                .line(ChainNames.OUTPUT));
      }
      if (!out.isEmpty()) {
        isolate(pod, Direction.EGRESS, out, chain, rules, policyChains, local);
        forward.add(
            new RuleText()
                .source(host(pod))
                .comment(pod.key() + " egress")
                .jump(chain)
                .line(ChainNames.FORWARD));
      }
      chains.put(chain, rules);
    }
    chains.putAll(policyChains);
    return render(node, forward, output, chains, previous);
  }

  private void isolate(
      PodInfo pod,
      Direction d,
      List<Policy> policies,
      String chain,
      List<String> rules,
      Map<String, List<String>> policyChains,
      List<PodInfo> local) {
    boolean ingress = d == Direction.INGRESS;
    for (Policy p : policies) {
      String pc = ChainNames.policy(p.namespace(), p.name(), d);
      policyChains.computeIfAbsent(pc, k -> policyRules(p, d, k, local));
      var jump =
          new RuleText()
              .comment("policy " + p.key() + " " + d.apiName().toLowerCase(java.util.Locale.ROOT))
              .jump(pc);
      rules.add((ingress ? jump.destination(host(pod)) : jump.source(host(pod))).line(chain));
    }
    var drop =
        new RuleText()
            .comment(
                pod.key()
                    + ": no "
                    + d.apiName().toLowerCase(java.util.Locale.ROOT)
                    + " rule of a selecting policy admits this")
            .match("-m mark ! --mark " + (ingress ? INGRESS_MARK : EGRESS_MARK))
            .jump("DROP");
    rules.add((ingress ? drop.destination(host(pod)) : drop.source(host(pod))).line(chain));
  }

  private List<String> policyRules(Policy p, Direction d, String chain, List<PodInfo> local) {
    var out = new ArrayList<String>();
    boolean ingress = d == Direction.INGRESS;
    String mark = "MARK --set-xmark " + (ingress ? INGRESS_MARK : EGRESS_MARK);
    for (Rule r : p.rules(d)) {
      String comment =
          p.key() + " " + d.apiName().toLowerCase(java.util.Locale.ROOT) + " rule #" + r.number();
      List<String> peers = peerAddresses(p, r);
      var numbered = new LinkedHashMap<Protocol, PortSet>();
      var named = new ArrayList<PortMatch.Named>();
      for (PortMatch pm : r.ports()) {
        switch (pm) {
          case PortMatch.Numbered n -> numbered.merge(n.protocol(), n.ports(), PortSet::union);
          case PortMatch.Named n -> named.add(n);
        }
      }
      for (String peer : peers) {
        if (r.ports().isEmpty()) {
          out.add(ruleFor(ingress, peer).comment(comment).jump(mark).line(chain));
        }
        for (var e : new TreeMap<>(numbered).entrySet()) {
          for (String ports : portTexts(e.getValue())) {
            out.add(
                ruleFor(ingress, peer)
                    .protocol(e.getKey().iptablesName(), ports)
                    .comment(comment)
                    .jump(mark)
                    .line(chain));
          }
        }
      }
      // A named port resolves on each destination pod: the local selected pods for ingress,
      // the peer pods for egress.
      for (PortMatch.Named n : named) {
        var dests =
            ingress
                ? local.stream().filter(x -> selects(p, x, d)).toList()
                : (r.anyPeer()
                    ? cluster
                    : cluster.stream().filter(x -> matchesAny(p, r, x)).toList());
        for (PodInfo dst : dests) {
          var ports = resolve(dst, n);
          if (ports.isEmpty()) {
            continue;
          }
          for (String peer : ingress ? peers : List.of("")) {
            for (String text : portTexts(ports)) {
              var rt = ingress ? ruleFor(true, peer) : new RuleText();
              rt.destination(host(dst));
              out.add(
                  rt.protocol(n.protocol().iptablesName(), text)
                      .comment(comment)
                      .jump(mark)
                      .line(chain));
            }
          }
        }
      }
    }
    return out;
  }

  private static RuleText ruleFor(boolean ingress, String peer) {
    var rt = new RuleText();
    if (!peer.isEmpty()) {
      if (ingress) {
        rt.source(peer);
      } else {
        rt.destination(peer);
      }
    }
    return rt;
  }

  private static PortSet resolve(PodInfo pod, PortMatch.Named n) {
    PortSet ps = PortSet.NONE;
    for (var cp : pod.ports()) {
      if (cp.protocol() == n.protocol() && cp.name().filter(n.name()::equals).isPresent()) {
        ps = ps.union(PortSet.of(cp.port()));
      }
    }
    return ps;
  }

  private boolean matchesAny(Policy p, Rule r, PodInfo x) {
    for (Peer peer : r.peers()) {
      boolean m =
          switch (peer) {
            case Peer.Pods pods ->
                pods.matches(x.namespace(), state.namespaceLabels(x.namespace()), x.labels());
            case Peer.IpBlock b -> b.addresses().contains(ipv4(x).orElseThrow());
          };
      if (m) {
        return true;
      }
    }
    return false;
  }

  /** The addresses a rule's peers stand for, as CIDR texts; {@code ""} means anywhere. */
  private List<String> peerAddresses(Policy p, Rule r) {
    if (r.anyPeer()) {
      return List.of("");
    }
    var out = new TreeSet<IpAddress>();
    var blocks = new ArrayList<String>();
    for (Peer peer : r.peers()) {
      switch (peer) {
        case Peer.Pods pods -> {
          for (PodInfo x : cluster) {
            if (pods.matches(x.namespace(), state.namespaceLabels(x.namespace()), x.labels())) {
              out.add(ipv4(x).orElseThrow());
            }
          }
        }
        case Peer.IpBlock b -> {
          var v4 =
              new AddressSet(
                  b.addresses().v4(), IntervalSet.empty(AddressSet.domain(IpFamily.IPV6)));
          v4.toPrefixes().forEach(prefix -> blocks.add(prefix.toString()));
        }
      }
    }
    var texts = new ArrayList<String>();
    out.forEach(ip -> texts.add(ip + "/32"));
    texts.addAll(blocks);
    return texts.stream().distinct().toList();
  }

  /** {@code 80}, {@code 1000:1002} per interval; {@code ""} for every port 1-65535. */
  private static List<String> portTexts(PortSet ports) {
    var out = new ArrayList<String>();
    if (ports.intersection(ConnectionSet.PORTS).equals(ConnectionSet.PORTS)) {
      out.add("");
      return out;
    }
    for (var iv : ports.intersection(ConnectionSet.PORTS).set().intervals()) {
      out.add(iv.low().equals(iv.high()) ? iv.low().toString() : iv.low() + ":" + iv.high());
    }
    return out;
  }

  private static NodeRuleset render(
      String node,
      List<String> forward,
      List<String> output,
      Map<String, List<String>> chains,
      Set<String> previous) {
    // Chains in name order, as iptables-save lists them, so the text round-trips unchanged.
    var all = new TreeMap<String, List<String>>(chains);
    all.put(ChainNames.FORWARD, forward);
    all.put(ChainNames.OUTPUT, output);
    var stale = new TreeSet<>(previous);
    stale.removeAll(all.keySet());
    var sb = new StringBuilder("*filter\n");
    var declared = new TreeSet<>(all.keySet());
    declared.addAll(stale);
    for (String c : declared) {
      sb.append(':').append(c).append(" - [0:0]\n");
    }
    all.values().forEach(rules -> rules.forEach(l -> sb.append(l).append('\n')));
    stale.forEach(c -> sb.append("-X ").append(c).append('\n'));
    sb.append("COMMIT\n");
    var jumps =
        List.of(
            new NodeRuleset.JumpRule(
                "filter",
                "FORWARD",
                new RuleText().comment("podpath network policies").jump(ChainNames.FORWARD).args()),
            new NodeRuleset.JumpRule(
                "filter",
                "OUTPUT",
                new RuleText().comment("podpath network policies").jump(ChainNames.OUTPUT).args()));
    return new NodeRuleset(node, jumps, all.keySet(), sb.toString());
  }
}
