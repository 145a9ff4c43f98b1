package dev.podpath.kube.scale;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.store.Watch;
import dev.podpath.kube.store.WatchStats;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The measurement behind EndpointSlices (KEP-752, the 2020 blog post): one Service with {@code
 * pods} ready pods spread over {@code nodes} nodes, a kube-proxy watch on every node, and the
 * traffic the API server sends those watches when one pod changes and during a rolling update that
 * replaces pods one at a time (new pod ready, then old pod deleted). Run once with only the
 * Endpoints controller (kube-proxy before 1.19 watched Endpoints) and once with only the
 * EndpointSlice controller. Pods carry their status as in a live dump, so the scheduler and kubelet
 * seam stay out of the way; every step lets the controllers settle, so each pod change is one
 * controller sync, as it is when changes arrive apart in time.
 */
public final class EndpointWatchCost {

  /** Which object kube-proxy watches (and how the Endpoints controller caps it). */
  public enum Mode {
    /** Endpoints with every address, as before Kubernetes 1.22 (and in the 2020 figures). */
    ENDPOINTS_UNCAPPED,
    /** Endpoints truncated to 1000 addresses, as since 1.22 (kube-proxy would miss the rest). */
    ENDPOINTS,
    /** EndpointSlices of at most {@code maxEndpointsPerSlice}. */
    ENDPOINT_SLICES
  }

  /** The scenario's size; {@code rollingPods} of the pods are replaced (all when equal). */
  public record Config(int pods, int nodes, int maxEndpointsPerSlice, int rollingPods) {
    public Config {
      if (pods < 1 || nodes < 1 || rollingPods < 0 || rollingPods > pods) {
        throw new IllegalArgumentException(
            "Config: need pods >= 1, nodes >= 1,"
                + " 0 <= rollingPods <= pods; got "
                + pods
                + ", "
                + nodes
                + ", "
                + rollingPods);
      }
    }
  }

  /** Totals over all watchers for one phase; {@code writes} is API writes of the kind. */
  public record Phase(long writes, long events, long bytes) {}

  /** What one mode cost: object sizes at rest, one pod change, the rolling update. */
  public record Result(
      Mode mode,
      Config config,
      int objects,
      long objectBytes,
      Phase singleChange,
      Phase rollingUpdate,
      double seconds,
      double cpuSeconds) {}

  private EndpointWatchCost() {}

  public static Result run(Mode mode, Config c) {
    long start = System.nanoTime();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    ControlPlane cp =
        ControlPlane.start(
            shape(c.nodes()),
            new VirtualClock(),
            ControlPlane.Options.defaults()
                .withMaxEndpointsPerSlice(c.maxEndpointsPerSlice())
                .withEndpointsController(mode != Mode.ENDPOINT_SLICES)
                .withEndpointsMaxCapacity(mode == Mode.ENDPOINTS_UNCAPPED ? 0 : 1000)
                .withEndpointSliceController(mode == Mode.ENDPOINT_SLICES)
                .withInstantKubelet(false));
    var store = cp.store();
    store.create(
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addToSelector("app", "web")
            .addNewPort()
            .withName("http")
            .withPort(80)
            .withTargetPort(new IntOrString(8080))
            .endPort()
            .endSpec()
            .build());
    List<Node> nodes =
        cp.list(
            Node.class,
            null,
            Selector.everything(),
            dev.podpath.kube.select.FieldSelector.everything());
    for (int i = 0; i < c.pods(); i++) {
      store.create(pod("web-" + i, nodes.get(i % nodes.size()), 2 + i / nodes.size()));
    }
    cp.settle();
    // The watches below start from the current resourceVersion and never re-list: the store need
    // not keep 100,000 past events, each holding its object (10,000 writes of a 780 KB Endpoints).
    store.limitHistory(1_000);
    Kind kind = mode == Mode.ENDPOINT_SLICES ? Kind.ENDPOINT_SLICE : Kind.ENDPOINTS;
    List<Watch> proxies = new ArrayList<>();
    Selector proxySelector =
        LabelSelectors.parse(
            "!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name");
    for (Node n : nodes) {
      proxies.add(
          cp.watch(
              "kube-proxy/" + n.getMetadata().getName(),
              kind,
              null,
              proxySelector,
              Optional.of(store.resourceVersion()),
              e -> {}));
    }
    List<? extends HasMetadata> objects =
        cp.list(
            kind.type(),
            "default",
            LabelSelectors.parse("kubernetes.io/service-name=web"),
            dev.podpath.kube.select.FieldSelector.everything());
    if (mode != Mode.ENDPOINT_SLICES) {
      objects =
          cp.list(
              kind.type(),
              "default",
              Selector.everything(),
              dev.podpath.kube.select.FieldSelector.parse("metadata.name=web"));
    }
    long objectBytes = objects.stream().mapToLong(dev.podpath.kube.io.Json::size).sum();

    WatchStats before = total(proxies);
    long rv = store.resourceVersion();
    Pod first = store.get(Pod.class, "default", "web-0").orElseThrow();
    store.update(
        new PodBuilder(first)
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build());
    cp.settle();
    Phase single = phase(before, total(proxies), proxies.size());
    Pod again = store.get(Pod.class, "default", "web-0").orElseThrow();
    store.update(
        new PodBuilder(again)
            .editStatus()
            .editFirstCondition()
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build());
    cp.settle();

    before = total(proxies);
    for (int i = 0; i < c.rollingPods(); i++) {
      Node node = nodes.get(i % nodes.size());
      store.create(pod("web-v2-" + i, node, 2 + (c.pods() + i) / nodes.size()));
      cp.settle();
      store.delete(ObjectKey.of(Kind.POD, "default", "web-" + i), 0L);
      cp.settle();
    }
    Phase rolling = phase(before, total(proxies), proxies.size());
    assert rv <= store.resourceVersion();
    return new Result(
        mode,
        c,
        objects.size(),
        objectBytes,
        single,
        rolling,
        (System.nanoTime() - start) / 1e9,
        (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
  }

  private static Phase phase(WatchStats before, WatchStats after, int watchers) {
    WatchStats d = after.minus(before);
    return new Phase(watchers == 0 ? 0 : d.events() / watchers, d.events(), d.bytes());
  }

  private static WatchStats total(List<Watch> watches) {
    WatchStats t = WatchStats.ZERO;
    for (Watch w : watches) {
      t = t.plus(w.stats());
    }
    return t;
  }

  /** {@code nodes} worker nodes on 172.16.0.0/12, pod CIDR 10.0.0.0/8 with a /24 each. */
  static ClusterShape shape(int nodes) {
    List<NodeShape> list = new ArrayList<>();
    long base = IpAddress.parse("172.16.0.10").toBigInteger().longValue();
    for (int i = 0; i < nodes; i++) {
      IpAddress addr =
          IpAddress.fromBigInteger(
              IpAddress.parse("172.16.0.0").family(), java.math.BigInteger.valueOf(base + i));
      list.add(
          new NodeShape(
              String.format("node-%05d", i), Map.of(), List.of(), Map.of(), List.of(addr)));
    }
    return new ClusterShape(
        "scale",
        list,
        List.of(IpPrefix.parse("10.0.0.0/8")),
        24,
        List.of(IpPrefix.parse("10.96.0.0/12")),
        "cluster.local",
        ProxyMode.IPTABLES,
        CniMode.ROUTED);
  }

  /** A running, ready pod as a live dump shows it, with an address of its node's podCIDR. */
  private static Pod pod(String name, Node node, int host) {
    IpPrefix cidr = IpPrefix.parse(node.getSpec().getPodCIDR());
    String ip =
        IpAddress.fromBigInteger(
                cidr.family(),
                cidr.network().toBigInteger().add(java.math.BigInteger.valueOf(host)))
            .toString();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node.getMetadata().getName())
        .addNewContainer()
        .withName("web")
        .withImage("nginx")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .addNewPodIP()
        .withIp(ip)
        .endPodIP()
        .withHostIP(node.getStatus().getAddresses().getFirst().getAddress())
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("web")
        .withReady(true)
        .withRestartCount(0)
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
