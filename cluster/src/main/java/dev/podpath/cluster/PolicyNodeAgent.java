package dev.podpath.cluster;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.net.IpFamily;
import dev.podpath.policy.enforce.Iptables;
import dev.podpath.policy.enforce.NodeRuleset;
import dev.podpath.policy.enforce.PolicyAgent;
import dev.podpath.shell.iptables.IptablesRestore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NetworkPolicy enforcement on every node: the policy agent's watch handlers record Pod, Namespace
 * and NetworkPolicy events, and its sync compiles them into per-pod chains that it programs into
 * the node's emulated netfilter with {@code iptables} and {@code iptables-restore --noflush}, as a
 * CNI's policy engine would.
 */
public final class PolicyNodeAgent implements Cluster.NodeAgent {

  private final List<NodePolicy> agents = new ArrayList<>();

  public List<NodePolicy> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void start(Cluster cluster, NodeNetwork node) {
    var np =
        new NodePolicy(
            node.name(),
            new PolicyAgent(node.name(), new KernelIptables(node.host().root().netfilter())));
    agents.add(np);
    cluster.controlPlane().addController(np);
  }

  /** The policy agent of one node, as a controller on the cluster's loop. */
  public static final class NodePolicy implements Controller {
    private final String node;
    private final PolicyAgent agent;

    NodePolicy(String node, PolicyAgent agent) {
      this.node = node;
      this.agent = agent;
    }

    @Override
    public String name() {
      return "policy-agent/" + node;
    }

    public PolicyAgent agent() {
      return agent;
    }

    @Override
    public void start(ApiStore store, WorkQueue queue) {
      for (Kind kind : List.of(Kind.NAMESPACE, Kind.POD, Kind.NETWORK_POLICY)) {
        store.watch(
            name(),
            kind,
            null,
            Selector.everything(),
            FieldSelector.everything(),
            Optional.empty(),
            e -> {
              agent.onEvent(e);
              queue.add("sync");
            });
      }
      queue.add("sync");
    }

    @Override
    public void sync(String key) {
      agent.sync();
    }
  }

  /** The policy agent's seam over the node's netfilter, through the iptables tools. */
  static final class KernelIptables implements Iptables {
    private final Netfilter netfilter;

    KernelIptables(Netfilter netfilter) {
      this.netfilter = netfilter;
    }

    @Override
    public void ensureFirst(NodeRuleset.JumpRule rule) {
      // the rule's words are in iptables-save form (quoted comments), so it goes through restore
      String saved =
          dev.podpath.shell.iptables.IptablesSave.run(
                  netfilter, IpFamily.IPV4, List.of("-t", rule.table()))
              .stdout();
      String first =
          saved
              .lines()
              .filter(l -> l.startsWith("-A " + rule.chain() + " "))
              .findFirst()
              .orElse("");
      if (first.equals(rule.saveText())) {
        return;
      }
      String text =
          "*"
              + rule.table()
              + "\n-I "
              + rule.chain()
              + " 1 "
              + String.join(" ", rule.args())
              + "\nCOMMIT\n";
      restoreNoFlush(text);
    }

    @Override
    public void restoreNoFlush(String text) {
      var r = IptablesRestore.run(netfilter, IpFamily.IPV4, List.of("--noflush"), text);
      if (!r.succeeded()) {
        throw new IllegalStateException(r.stderr().strip());
      }
    }
  }
}
