package dev.podpath.cluster;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.World;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.net.IpPrefix;
import dev.podpath.node.cni.BridgePlugin;
import dev.podpath.node.cni.CniException;
import dev.podpath.node.cni.CniRuntime;
import dev.podpath.node.cni.EmulatedPlugins;
import dev.podpath.node.cni.HostFiles;
import dev.podpath.node.cni.HostLocal;
import dev.podpath.node.cni.KernelSandboxNetwork;
import dev.podpath.node.cni.LoopbackPlugin;
import dev.podpath.node.cni.NetworkConfigList;
import dev.podpath.node.kubelet.PodSandboxes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The data plane of a cluster shape: a host per node with {@code eth0} on the shared underlay
 * segment (its address from the shape, on a /16 as kind's docker network, with a default route via
 * the segment's first address as kind's nodes have), IPv4 forwarding on, the CNI plugins installed
 * with the node's configuration list (a {@code cni0} bridge over its pod CIDR), and the nodes' pod
 * networks joined as the shape's CNI mode says.
 */
public final class ClusterNetwork {

  /** The CNI_PATH the kubelet passes. */
  public static final String CNI_PATH = "/opt/cni/bin";

  private final World world;
  private final Map<String, NodeNetwork> nodes = new TreeMap<>();

  private ClusterNetwork(World world) {
    this.world = world;
  }

  /**
   * Builds the nodes of {@code shape} in {@code world}.
   *
   * @param podCidrs each node's pod CIDR, by node name (from the node IPAM controller)
   * @param restore how CNI plugins apply iptables rules on a node
   */
  public static ClusterNetwork build(
      World world,
      ClusterShape shape,
      Map<String, IpPrefix> podCidrs,
      KernelSandboxNetwork.Restore restore) {
    var net = new ClusterNetwork(world);
    var list = new ArrayList<NodeNetwork>();
    for (NodeShape node : shape.nodes()) {
      var address = node.addresses().get(0);
      var underlay = new IpPrefix(address, address.family().bits() == 32 ? 16 : 64);
      IpPrefix podCidr = podCidrs.get(node.name());
      if (podCidr == null) {
        throw new IllegalArgumentException("no pod CIDR for node " + node.name());
      }
      Host host =
          world.addHost(
              node.name(),
              List.of(new World.NicSpec("eth0", underlay)),
              Optional.of(underlay.network().plus(1)));
      host.root().sysctls().set("net.ipv4.ip_forward", "1");
      var files = new HostFiles();
      var plugins =
          new EmulatedPlugins(files, new KernelSandboxNetwork(host, restore))
              .install(new BridgePlugin())
              .install(new HostLocal())
              .install(new LoopbackPlugin());
      var cni = new CniRuntime(plugins, CNI_PATH);
      NetworkConfigList conf;
      try {
        conf = NetworkConfigList.parse(NodeNetwork.conflist(podCidr));
      } catch (CniException e) {
        throw new IllegalStateException("the built-in CNI config is valid", e);
      }
      files.write("/etc/cni/net.d/10-podpath.conflist", NodeNetwork.conflist(podCidr));
      var nn =
          new NodeNetwork(
              node.name(),
              host,
              address,
              podCidr,
              files,
              plugins,
              cni,
              new PodSandboxes(host, cni, conf));
      net.nodes.put(node.name(), nn);
      list.add(nn);
    }
    Underlay.join(list, shape.cniMode());
    return net;
  }

  public World world() {
    return world;
  }

  public List<NodeNetwork> nodes() {
    return List.copyOf(nodes.values());
  }

  public Optional<NodeNetwork> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }
}
