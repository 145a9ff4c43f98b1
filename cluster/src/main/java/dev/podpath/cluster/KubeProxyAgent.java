package dev.podpath.cluster;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.net.IpFamily;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.agent.KubeProxy;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.ProxyMode;
import dev.podpath.proxy.conntrack.ConntrackAction;
import dev.podpath.proxy.iptables.KernelIptables;
import dev.podpath.proxy.ipvs.FakeIpvsKernel;
import dev.podpath.proxy.ipvs.IpvsProxier;
import dev.podpath.proxy.ipvs.KernelIpvs;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * kube-proxy on every node of a cluster: a controller per node whose watch handlers only hand
 * Service and EndpointSlice events to the proxy's change tracker, and whose sync runs one
 * kube-proxy sync, then deletes the stale conntrack entries the sync names, as kube-proxy runs
 * {@code conntrack -D}.
 *
 * <p>In iptables mode a sync is {@code iptables-restore} into the node's emulated netfilter; at
 * start-up it turns on {@code route_localnet} (for localhost NodePorts) and {@code
 * bridge-nf-call-iptables}. In IPVS mode a sync programs the node's IPVS table, the {@code
 * kube-ipvs0} dummy with the service addresses, the ipsets and the small iptables ruleset; at
 * start-up it sets the sysctls the IPVS proxier sets ({@code net.ipv4.vs.conntrack=1}, {@code
 * expire_nodest_conn=1}, {@code expire_quiescent_template=1}, {@code bridge-nf-call-iptables=1};
 * with {@code ipvs.strictARP}, {@code arp_ignore=1} and {@code arp_announce=2}). Real servers of
 * removed endpoints that still carry connections stay with weight 0; as upstream's graceful
 * termination manager, the agent looks at them every minute of virtual time and deletes those
 * without connections.
 */
public final class KubeProxyAgent implements Cluster.NodeAgent {

  private final KubeProxyConfiguration config;
  private final List<NodeProxy> proxies = new ArrayList<>();

  public KubeProxyAgent(KubeProxyConfiguration config) {
    this.config = config;
  }

  /**
   * The configuration kube-proxy runs with in a cluster of {@code shape}: upstream's defaults with
   * the shape's proxy mode and its pod CIDRs as {@code clusterCIDR} (as kubeadm writes it).
   */
  public static KubeProxyConfiguration configuration(ClusterShape shape) {
    var d = KubeProxyConfiguration.defaults();
    return new KubeProxyConfiguration(
        ProxyMode.valueOf(shape.proxyMode().name()),
        d.hostnameOverride(),
        shape.clusterCidrs().stream().map(Object::toString).toList(),
        d.detectLocalMode(),
        d.bridgeInterface(),
        d.interfaceNamePrefix(),
        d.masqueradeAll(),
        d.masqueradeBit(),
        d.localhostNodePorts(),
        d.syncPeriod(),
        d.minSyncPeriod(),
        d.nodePortAddresses(),
        d.tcpBeLiberal(),
        d.ipvsScheduler(),
        d.ipvsStrictArp(),
        d.ipvsExcludeCidrs(),
        d.ipvsTcpTimeout(),
        d.ipvsTcpFinTimeout(),
        d.ipvsUdpTimeout(),
        d.featureGates());
  }

  /** The running proxies, one per node. */
  public List<NodeProxy> proxies() {
    return List.copyOf(proxies);
  }

  @Override
  public void start(Cluster cluster, NodeNetwork node) {
    NetNamespace root = node.host().root();
    boolean ipvs = config.mode() == ProxyMode.IPVS;
    if (ipvs) {
      root.sysctls().set("net.ipv4.vs.conntrack", "1");
      root.sysctls().set("net.ipv4.vs.expire_nodest_conn", "1");
      root.sysctls().set("net.ipv4.vs.expire_quiescent_template", "1");
      if (config.ipvsStrictArp()) {
        root.sysctls().set("net.ipv4.conf.all.arp_ignore", "1");
        root.sysctls().set("net.ipv4.conf.all.arp_announce", "2");
      }
    } else {
      root.sysctls().set("net.ipv4.conf.all.route_localnet", "1");
    }
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
            ipvs ? new KernelIpvs(root) : new FakeIpvsKernel(), // iptables mode never calls it
            root.clock());
    var np = new NodeProxy(node.name(), root, proxy);
    proxies.add(np);
    cluster.controlPlane().addController(np);
  }

  /** The kube-proxy of one node, as a controller on the cluster's loop. */
  public static final class NodeProxy implements Controller {
    private static final String SYNC = "sync";

    /** How often drained real servers are checked ({@code rsCheckDeleteInterval}). */
    public static final Duration REAP_INTERVAL = Duration.ofMinutes(1);

    private final String node;
    private final NetNamespace root;
    private final KubeProxy proxy;
    private final List<String> errors = new ArrayList<>();
    private Optional<KubeProxy.Sync> last = Optional.empty();
    private boolean reapScheduled;

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
      scheduleReap();
    }

    /** Real servers drained with weight 0 until their connections end (IPVS mode). */
    public List<IpvsProxier.TerminatingServer> terminating() {
      return proxy.ipvs().map(IpvsProxier::terminating).orElse(List.of());
    }

    /** While real servers are draining, checks them again after {@link #REAP_INTERVAL}. */
    private void scheduleReap() {
      if (reapScheduled || terminating().isEmpty()) {
        return;
      }
      reapScheduled = true;
      root.clock()
          .schedule(
              REAP_INTERVAL,
              () -> {
                reapScheduled = false;
                proxy.ipvs().ifPresent(IpvsProxier::reapTerminated);
                scheduleReap();
              });
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
