package dev.podpath.cluster;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's load-balancer implementation, as kube-vip's Services mode (or MetalLB in L2 mode)
 * gives a bare-metal or kind cluster one: Services of {@code type: LoadBalancer} get an ingress IP
 * from a pool on the nodes' own network, and that IP is announced on the network by a node.
 *
 * <p>The pool is {@code x.y.255.200}–{@code x.y.255.250} of the nodes' /16 (for the default shape
 * {@code 172.18.255.200-250}, the range MetalLB's kind guide uses); {@code spec.loadBalancerIP} is
 * honoured when set. The IP goes into {@code status.loadBalancer.ingress} (with {@code ipMode:
 * VIP}), where kube-proxy reads it, and is added as a /32 to {@code eth0} of the announcing node —
 * the first node by name — as kube-vip's leader does, so that node answers ARP for it: any machine
 * on the nodes' network reaches it directly, and the node's kube-proxy rules (iptables or IPVS)
 * take it from there. Services with {@code spec.loadBalancerClass} are left to their own
 * implementation. A Service that stops being a LoadBalancer, or is deleted, gives its IP back.
 */
public final class LoadBalancerAgent implements Cluster.NodeAgent {

  /** The announcing device on a node. */
  static final String DEVICE = "eth0";

  private final Map<String, NodeNetwork> nodes = new TreeMap<>();
  private final Map<String, IpAddress> allocated = new TreeMap<>();
  private final Map<String, String> announcedOn = new TreeMap<>();
  private boolean started;
  private Optional<IpPrefix> lan = Optional.empty();

  @Override
  public void start(Cluster cluster, NodeNetwork node) {
    nodes.put(node.name(), node);
    if (lan.isEmpty() && node.address().family() == IpFamily.IPV4) {
      lan = Optional.of(IpPrefix.of(node.address(), 16).masked());
    }
    if (!started) {
      started = true;
      cluster.controlPlane().addController(new Allocator());
    }
  }

  /** The IPs handed out, by Service ({@code namespace/name}). */
  public Map<String, IpAddress> allocated() {
    return Map.copyOf(allocated);
  }

  /** The first address of the pool ({@code x.y.255.200} of the nodes' /16). */
  Optional<IpAddress> poolStart() {
    return lan.map(p -> p.network().plus(255 * 256 + 200));
  }

  private Optional<IpAddress> nextFree() {
    if (poolStart().isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i <= 50; i++) {
      IpAddress ip = poolStart().get().plus(i);
      if (!allocated.containsValue(ip)) {
        return Optional.of(ip);
      }
    }
    return Optional.empty();
  }

  /** The controller: one key per Service. */
  private final class Allocator implements Controller {
    private ApiStore store;

    @Override
    public String name() {
      return "load-balancer";
    }

    @Override
    public void start(ApiStore apiStore, WorkQueue queue) {
      this.store = apiStore;
      apiStore.watch(
          name(),
          Kind.SERVICE,
          null,
          Selector.everything(),
          FieldSelector.everything(),
          Optional.empty(),
          e -> queue.add(e.object()));
    }

    @Override
    public void sync(String key) {
      int slash = key.indexOf('/');
      Optional<Service> svc =
          store.get(Service.class, key.substring(0, slash), key.substring(slash + 1));
      Optional<IpAddress> want = svc.flatMap(s -> wanted(key, s));
      IpAddress had = allocated.get(key);
      if (had != null && !Optional.of(had).equals(want)) {
        release(key);
        if (want.isEmpty() && svc.isPresent()) {
          clearIngress(svc.get());
        }
      }
      if (want.isEmpty()) {
        return;
      }
      allocated.put(key, want.get());
      announce(key, want.get());
      Service s = svc.get();
      List<LoadBalancerIngress> ingress = List.of(ingress(want.get()));
      ServiceStatus status = s.getStatus() == null ? new ServiceStatus() : s.getStatus();
      LoadBalancerStatus lb =
          status.getLoadBalancer() == null ? new LoadBalancerStatus() : status.getLoadBalancer();
      if (!Objects.equals(lb.getIngress(), ingress)) {
        lb.setIngress(new ArrayList<>(ingress));
        status.setLoadBalancer(lb);
        s.setStatus(status);
        s.getMetadata().setResourceVersion(null);
        store.update(s);
      }
    }

    /**
     * A Service that stopped being a LoadBalancer loses its ingress (as the service controller).
     */
    private void clearIngress(Service s) {
      if (s.getStatus() != null
          && s.getStatus().getLoadBalancer() != null
          && s.getStatus().getLoadBalancer().getIngress() != null
          && !s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
        s.getStatus().getLoadBalancer().setIngress(new ArrayList<>());
        s.getMetadata().setResourceVersion(null);
        store.update(s);
      }
    }

    /** The IP a Service should have, if it is ours to serve and one is available. */
    private Optional<IpAddress> wanted(String key, Service s) {
      if (s.getSpec() == null
          || !"LoadBalancer".equals(s.getSpec().getType())
          || s.getSpec().getLoadBalancerClass() != null) {
        return Optional.empty();
      }
      String asked = s.getSpec().getLoadBalancerIP();
      if (asked != null && !asked.isEmpty() && IpAddress.isValid(asked)) {
        return Optional.of(IpAddress.parse(asked));
      }
      IpAddress had = allocated.get(key);
      return had != null ? Optional.of(had) : nextFree();
    }

    private LoadBalancerIngress ingress(IpAddress ip) {
      var i = new LoadBalancerIngress();
      i.setIp(ip.toString());
      i.setIpMode("VIP");
      return i;
    }

    /** Adds the IP to the announcing node's {@code eth0}, unless it is there. */
    private void announce(String key, IpAddress ip) {
      if (announcedOn.containsKey(key) || nodes.isEmpty()) {
        return;
      }
      NodeNetwork node = nodes.values().iterator().next();
      var routing = node.host().root().routing();
      boolean present = routing.addresses(DEVICE).stream().anyMatch(a -> a.address().equals(ip));
      if (!present) {
        routing.addAddress(
            DEVICE, IpPrefix.host(ip), Optional.empty(), Optional.empty(), Optional.empty());
      }
      announcedOn.put(key, node.name());
    }

    private void release(String key) {
      IpAddress ip = allocated.remove(key);
      String node = announcedOn.remove(key);
      if (ip != null && node != null && !allocated.containsValue(ip)) {
        nodes.get(node).host().root().routing().deleteAddress(DEVICE, IpPrefix.host(ip));
      }
    }
  }
}
