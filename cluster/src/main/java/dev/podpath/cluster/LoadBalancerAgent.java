package dev.podpath.cluster;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
 * the first node by name, or for {@code externalTrafficPolicy: Local} the first with a ready
 * endpoint — as kube-vip's leader does, so that node answers ARP for it: any machine on the nodes'
 * network reaches it directly, and the node's kube-proxy rules (iptables or IPVS) take it from
 * there. Services with {@code spec.loadBalancerClass} are left to their own implementation. A
 * Service that stops being a LoadBalancer, or is deleted, gives its IP back.
 */
public final class LoadBalancerAgent implements Cluster.NodeAgent {

  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

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
  private final class Allocator extends QueueController {

    @Override
    public String name() {
      return "load-balancer";
    }

    @Override
    protected void watches() {
      queueEach(Kind.SERVICE);
      on(
          Kind.ENDPOINT_SLICE,
          e -> {
            var labels = e.object().getMetadata().getLabels();
            String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (svc != null) {
              queue().add(e.object().getMetadata().getNamespace() + "/" + svc);
            }
          });
    }

    @Override
    public void sync(String key) {
      NamespacedName nn = NamespacedName.of(key);
      Optional<Service> svc = store().get(Service.class, nn.namespace(), nn.name());
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
      Service s = svc.get();
      announce(key, want.get(), announcer(s));
      List<LoadBalancerIngress> ingress = List.of(ingress(want.get()));
      ServiceStatus status = s.getStatus() == null ? new ServiceStatus() : s.getStatus();
      LoadBalancerStatus lb =
          status.getLoadBalancer() == null ? new LoadBalancerStatus() : status.getLoadBalancer();
      if (!Objects.equals(lb.getIngress(), ingress)) {
        lb.setIngress(new ArrayList<>(ingress));
        status.setLoadBalancer(lb);
        s.setStatus(status);
        s.getMetadata().setResourceVersion(null);
        store().update(s);
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
        store().update(s);
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

    /**
     * The node that announces a Service's IP: the first by name, or for {@code
     * externalTrafficPolicy: Local} the first by name with a ready endpoint of the Service (as
     * MetalLB announces such Services only from nodes that can serve them locally).
     */
    private String announcer(Service s) {
      String first = nodes.keySet().iterator().next();
      if (!"Local".equals(s.getSpec().getExternalTrafficPolicy())) {
        return first;
      }
      var withEndpoints = new java.util.TreeSet<String>();
      for (EndpointSlice slice :
          store()
              .list(
                  EndpointSlice.class,
                  s.getMetadata().getNamespace(),
                  LabelSelectors.fromMap(Map.of(SERVICE_NAME_LABEL, s.getMetadata().getName())),
                  FieldSelector.everything())) {
        for (Endpoint ep : slice.getEndpoints()) {
          boolean ready =
              ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
          if (ready && ep.getNodeName() != null && nodes.containsKey(ep.getNodeName())) {
            withEndpoints.add(ep.getNodeName());
          }
        }
      }
      return withEndpoints.isEmpty() ? first : withEndpoints.first();
    }

    /** Adds the IP to the announcing node's {@code eth0} (moving it from the previous one). */
    private void announce(String key, IpAddress ip, String node) {
      String was = announcedOn.get(key);
      if (node.equals(was)) {
        return;
      }
      if (was != null) {
        unannounce(key, ip, was);
      }
      var routing = nodes.get(node).host().root().routing();
      boolean present = routing.addresses(DEVICE).stream().anyMatch(a -> a.address().equals(ip));
      if (!present) {
        routing.addAddress(
            DEVICE, IpPrefix.host(ip), Optional.empty(), Optional.empty(), Optional.empty());
      }
      announcedOn.put(key, node);
    }

    /** Takes the IP off a node, unless another Service with the same IP is announced there. */
    private void unannounce(String key, IpAddress ip, String node) {
      announcedOn.remove(key);
      boolean shared =
          allocated.entrySet().stream()
              .anyMatch(
                  e ->
                      !e.getKey().equals(key)
                          && e.getValue().equals(ip)
                          && node.equals(announcedOn.get(e.getKey())));
      if (!shared) {
        nodes.get(node).host().root().routing().deleteAddress(DEVICE, IpPrefix.host(ip));
      }
    }

    private void release(String key) {
      IpAddress ip = allocated.get(key);
      String node = announcedOn.get(key);
      if (ip != null && node != null) {
        unannounce(key, ip, node);
      }
      allocated.remove(key);
    }
  }
}
