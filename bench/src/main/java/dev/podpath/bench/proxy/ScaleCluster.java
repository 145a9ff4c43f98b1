package dev.podpath.bench.proxy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.config.LocalDetector;
import dev.podpath.proxy.iptables.Iptables;
import dev.podpath.proxy.iptables.IptablesOptions;
import dev.podpath.proxy.iptables.IptablesProxier;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code services} ClusterIP Services (10.96.0.0/12 from 10.96.0.10 on, port 80) with {@code
 * endpoints} endpoints each: the backend pods 10.244.0.11… on port 8080, so that every endpoint of
 * every service is reachable in a small emulated world.
 */
final class ScaleCluster {

  static final int BACKENDS = 10;

  final List<Service> services = new ArrayList<>();
  final List<EndpointSlice> slices = new ArrayList<>();

  ScaleCluster(int count, int endpoints) {
    for (int i = 0; i < count; i++) {
      String name = "svc-" + i;
      services.add(
          new ServiceBuilder()
              .withNewMetadata()
              .withNamespace("bench")
              .withName(name)
              .endMetadata()
              .withNewSpec()
              .withClusterIP(vip(i).toString())
              .addNewPort()
              .withName("http")
              .withProtocol("TCP")
              .withPort(80)
              .endPort()
              .endSpec()
              .build());
      var b =
          new EndpointSliceBuilder()
              .withNewMetadata()
              .withNamespace("bench")
              .withName(name + "-1")
              .addToLabels("kubernetes.io/service-name", name)
              .endMetadata()
              .withAddressType("IPv4")
              .addNewPort()
              .withName("http")
              .withProtocol("TCP")
              .withPort(8080)
              .endPort();
      for (int e = 0; e < endpoints; e++) {
        b.addNewEndpoint().withAddresses(backend(e % BACKENDS).toString()).endEndpoint();
      }
      slices.add(b.build());
    }
  }

  static IpAddress vip(int i) {
    return IpAddress.parse("10.96.0.10").plus(i);
  }

  static IpAddress backend(int i) {
    return IpAddress.parse("10.244.0.11").plus(i);
  }

  /** kube-proxy's options on node {@code node} (192.168.0.2, pods 10.244.0.0/16, no nfacct). */
  static IptablesOptions options() {
    return new IptablesOptions(
        IpFamily.IPV4,
        "node",
        IpAddress.parse("192.168.0.2"),
        List.of(IpAddress.parse("127.0.0.1"), IpAddress.parse("192.168.0.2")),
        new LocalDetector.ByCidr(IpPrefix.parse("10.244.0.0/16")),
        false,
        "0x00004000",
        List.of(),
        true,
        Set.of(),
        false,
        true,
        Duration.ofSeconds(30));
  }

  /**
   * A full sync of this cluster onto {@code iptables}, then the first half of the Services and
   * their EndpointSlices deleted and a second sync (partial: it flushes and deletes the {@code
   * KUBE-SVC-}/{@code KUBE-SEP-} chains of the deleted Services with {@code -X}) 31 s later; {@code
   * between} runs before the second sync. Returns the second sync's restore input.
   */
  String syncThenDeleteHalf(Iptables iptables, Runnable between) {
    var tracker = new ChangeTracker(IpFamily.IPV4, "node");
    services.forEach(tracker::onService);
    slices.forEach(tracker::onEndpointSlice);
    var clock = new VirtualClock();
    var proxier = new IptablesProxier(options(), tracker, iptables, clock);
    var first = proxier.sync();
    if (!first.succeeded()) {
      throw new IllegalStateException("sync failed: " + first.error());
    }
    for (int i = 0; i < services.size() / 2; i++) {
      tracker.onServiceDeleted("bench", services.get(i).getMetadata().getName());
      tracker.onEndpointSliceDeleted("bench", slices.get(i).getMetadata().getName());
    }
    // past one syncPeriod, so that kube-proxy (in its large-cluster mode above 1,000 endpoints)
    // looks for stale chains again; still well within the hour before the next full sync
    clock.advance(Duration.ofSeconds(31));
    between.run();
    var second = proxier.sync();
    if (!second.succeeded()) {
      throw new IllegalStateException("second sync failed: " + second.error());
    }
    return second.restoreInput();
  }

  /** A full sync of this cluster onto {@code iptables}; returns the restore input. */
  String fullSync(Iptables iptables) {
    var tracker = new ChangeTracker(IpFamily.IPV4, "node");
    services.forEach(tracker::onService);
    slices.forEach(tracker::onEndpointSlice);
    var proxier = new IptablesProxier(options(), tracker, iptables, new VirtualClock());
    var r = proxier.sync();
    if (!r.succeeded()) {
      throw new IllegalStateException("sync failed: " + r.error());
    }
    return r.restoreInput();
  }
}
