package dev.podpath.cluster;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.net.IpFamily;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.agent.KubeProxy;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.conntrack.ConntrackAction;
import dev.podpath.proxy.iptables.KernelIptables;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * kube-proxy on every node of a cluster: a controller per node whose watch handlers only hand
 * Service and EndpointSlice events to the proxy's change tracker, and whose sync runs one
 * kube-proxy sync — {@code iptables-restore} into the node's emulated netfilter — then deletes the
 * stale conntrack entries the sync names, as kube-proxy runs {@code conntrack -D}. Like the real
 * one at start-up, it turns on {@code route_localnet} (for localhost NodePorts) and {@code
 * bridge-nf-call-iptables}.
 */
public final class KubeProxyAgent implements Cluster.NodeAgent {

  private final KubeProxyConfiguration config;
  private final List<NodeProxy> proxies = new ArrayList<>();

  public KubeProxyAgent(KubeProxyConfiguration config) {
    this.config = config;
  }

  /** The running proxies, one per node. */
  public List<NodeProxy> proxies() {
    return List.copyOf(proxies);
  }

  @Override
  public void start(Cluster cluster, NodeNetwork node) {
    NetNamespace root = node.host().root();
    root.sysctls().set("net.ipv4.conf.all.route_localnet", "1");
    root.sysctls().set("net.bridge.bridge-nf-call-iptables", "1");
    Node object =
        cluster
            .controlPlane()
            .get(Node.class, "", node.name())
            .orElseThrow(() -> new IllegalStateException("no Node object for " + node.name()));
    var proxy =
        KubeProxy.create(
            config,
            NodeInfo.fromNode(object),
            IpFamily.IPV4,
            new KernelIptables(root.netfilter(), IpFamily.IPV4),
            ipvs(config, root),
            root.clock());
    var np = new NodeProxy(node.name(), root, proxy);
    proxies.add(np);
    cluster.controlPlane().addController(np);
  }

  private static dev.podpath.proxy.ipvs.IpvsKernel ipvs(
      KubeProxyConfiguration config, NetNamespace root) {
    if (config.mode() != dev.podpath.proxy.config.ProxyMode.IPTABLES) {
      throw new IllegalArgumentException(
          "proxy-mode "
              + config.mode().toString().toLowerCase(java.util.Locale.ROOT)
              + ": a lab cluster runs kube-proxy in iptables mode only (IPVS mode needs ipset types"
              + " hash:ip,port,ip and hash:ip,port,net, which the emulated kernel lacks); use"
              + " 'podpath rules --as ipvsadm' to see what IPVS mode programs");
    }
    return new dev.podpath.proxy.ipvs.FakeIpvsKernel(); // iptables mode never calls it
  }

  /** The kube-proxy of one node, as a controller on the cluster's loop. */
  public static final class NodeProxy implements Controller {
    private static final String SYNC = "sync";
    private final String node;
    private final NetNamespace root;
    private final KubeProxy proxy;
    private final List<String> errors = new ArrayList<>();
    private Optional<KubeProxy.Sync> last = Optional.empty();

    NodeProxy(String node, NetNamespace root, KubeProxy proxy) {
      this.node = node;
      this.root = root;
      this.proxy = proxy;
    }

    @Override
    public String name() {
      return "kube-proxy/" + node;
    }

    public KubeProxy proxy() {
      return proxy;
    }

    /** The last sync's result. */
    public Optional<KubeProxy.Sync> lastSync() {
      return last;
    }

    public List<String> errors() {
      return List.copyOf(errors);
    }

    @Override
    public void start(ApiStore store, WorkQueue queue) {
      store.watch(
          name(),
          Kind.SERVICE,
          null,
          Selector.everything(),
          FieldSelector.everything(),
          Optional.empty(),
          e -> {
            var s = (Service) e.object();
            if (e.type() == WatchEvent.Type.DELETED) {
              proxy.onServiceDeleted(s.getMetadata().getNamespace(), s.getMetadata().getName());
            } else {
              proxy.onService(s);
            }
            queue.add(SYNC);
          });
      store.watch(
          name(),
          Kind.ENDPOINT_SLICE,
          null,
          Selector.everything(),
          FieldSelector.everything(),
          Optional.empty(),
          e -> {
            var s = (EndpointSlice) e.object();
            if (e.type() == WatchEvent.Type.DELETED) {
              proxy.onEndpointSliceDeleted(
                  s.getMetadata().getNamespace(), s.getMetadata().getName());
            } else {
              proxy.onEndpointSlice(s);
            }
            queue.add(SYNC);
          });
      queue.add(SYNC);
    }

    @Override
    public void sync(String key) {
      var result = proxy.sync();
      last = Optional.of(result);
      if (!result.succeeded()) {
        errors.add(result.error());
        return;
      }
      for (ConntrackAction a : result.conntrackFlushes()) {
        root.netfilter().conntrack().delete(matcher(a));
      }
    }

    private static Predicate<ConntrackRecord> matcher(ConntrackAction a) {
      return switch (a) {
        case ConntrackAction.DeleteByDestination d ->
            r -> r.protocol() == d.protocol() && r.original().dst().equals(d.destination());
        case ConntrackAction.DeleteByNat n ->
            r ->
                r.protocol() == n.protocol()
                    && r.original().dst().equals(n.destination())
                    && r.reply().src().equals(n.endpoint());
        case ConntrackAction.DeleteByPort p ->
            r -> r.protocol() == p.protocol() && r.original().dstPort() == p.port();
        case ConntrackAction.DeleteByPortNat pn ->
            r ->
                r.protocol() == pn.protocol()
                    && r.original().dstPort() == pn.port()
                    && r.reply().src().equals(pn.endpoint());
      };
    }
  }
}
