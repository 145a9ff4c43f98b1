package dev.podpath.cluster;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.node.kubelet.Kubelet;
import dev.podpath.shell.iptables.IptablesRestore;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A running cluster: the control plane on the world's virtual clock, a host per node joined by the
 * underlay, and on every node the agents that program it — the kubelet (pod sandboxes through CNI)
 * and kube-proxy. Every API write settles the controllers and the agents together, so what a probe
 * sees right after {@code kubectl apply} is what the real cluster converges to.
 */
public final class Cluster {

  private final ControlPlane controlPlane;
  private final ClusterNetwork network;
  private final Map<String, Kubelet> kubelets = new TreeMap<>();
  private final List<NodeAgent> agents = new ArrayList<>();

  /** Something that runs on every node beside the kubelet (kube-proxy, the policy agent). */
  public interface NodeAgent {
    /** Starts the agent on a node, typically by adding a controller to the control plane. */
    void start(Cluster cluster, NodeNetwork node);
  }

  private Cluster(ControlPlane controlPlane, ClusterNetwork network) {
    this.controlPlane = controlPlane;
    this.network = network;
  }

  /**
   * Starts a cluster of {@code shape} in {@code world}: the control plane (its own kubelet
   * emulation off, as the real kubelets run here), the nodes with the pod CIDRs node IPAM gave
   * them, a kubelet per node, then each agent on each node.
   */
  public static Cluster start(World world, ClusterShape shape, List<NodeAgent> agents) {
    var cp =
        ControlPlane.start(
            shape, world.clock(), ControlPlane.Options.defaults().withInstantKubelet(false));
    var podCidrs = new TreeMap<String, IpPrefix>();
    for (Node n :
        cp.list(
            Node.class,
            null,
            dev.podpath.kube.select.Selector.everything(),
            dev.podpath.kube.select.FieldSelector.everything())) {
      Optional.ofNullable(n.getSpec().getPodCIDR())
          .ifPresent(c -> podCidrs.put(n.getMetadata().getName(), IpPrefix.parse(c)));
    }
    var net = ClusterNetwork.build(world, shape, podCidrs, Cluster::restore);
    var cluster = new Cluster(cp, net);
    for (NodeNetwork node : net.nodes()) {
      var kubelet = new Kubelet(node.name(), node.address(), node.sandboxes());
      cluster.kubelets.put(node.name(), kubelet);
      cp.addController(kubelet);
    }
    for (NodeAgent agent : agents) {
      cluster.agents.add(agent);
      for (NodeNetwork node : net.nodes()) {
        agent.start(cluster, node);
      }
    }
    return cluster;
  }

  /** {@code iptables-restore} on a node, as the CNI plugins run it. */
  private static Optional<String> restore(NetNamespace ns, String rules, boolean noflush) {
    var r =
        IptablesRestore.run(
            ns.netfilter(), IpFamily.IPV4, noflush ? List.of("--noflush") : List.of(), rules);
    return r.succeeded() ? Optional.empty() : Optional.of(r.stderr().strip());
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public ClusterNetwork network() {
    return network;
  }

  public World world() {
    return network.world();
  }

  public Optional<Kubelet> kubelet(String node) {
    return Optional.ofNullable(kubelets.get(node));
  }

  /** The agents running on every node, in the order they were started. */
  public List<NodeAgent> agents() {
    return List.copyOf(agents);
  }

  /** Problems the node agents met (CNI failures), for reports. */
  public List<String> agentFailures() {
    var out = new ArrayList<String>();
    kubelets.values().forEach(k -> out.addAll(k.failures()));
    return out;
  }
}
