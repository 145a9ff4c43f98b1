package dev.podpath.proxy.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpFamily;
import dev.podpath.proxy.ChangeTracker;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleConntrackTest {

  private final ChangeTracker tracker = new ChangeTracker(IpFamily.IPV4, "node-1");

  private static Service dns() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("kube-system")
        .withName("dns")
        .endMetadata()
        .withNewSpec()
        .withType("NodePort")
        .withClusterIP("10.96.0.10")
        .addNewPort()
        .withName("dns")
        .withProtocol("UDP")
        .withPort(53)
        .withNodePort(30053)
        .endPort()
        .endSpec()
        .build();
  }

  private static EndpointSlice slice(String... ips) {
    var b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("kube-system")
            .withName("dns-1")
            .addToLabels("kubernetes.io/service-name", "dns")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("dns")
            .withProtocol("UDP")
            .withPort(53)
            .endPort();
    for (String ip : ips) {
      b.addNewEndpoint().withAddresses(ip).endEndpoint();
    }
    return b.build();
  }

  @Test
  void aServiceThatGetsItsFirstEndpointFlushesEntriesToItsAddresses() {
    tracker.onService(dns());
    tracker.checkout();
    tracker.onEndpointSlice(slice("10.244.1.5"));
    var plan = StaleConntrack.plan(tracker.checkout(), tracker);
    assertThat(plan)
        .map(Object::toString)
        .containsExactly(
            "conntrack -D -p udp --orig-dst 10.96.0.10",
            "conntrack -D -p udp --orig-port-dst 30053");
  }

  @Test
  void anEndpointThatGoesAwayFlushesItsNatEntries() {
    tracker.onService(dns());
    tracker.onEndpointSlice(slice("10.244.1.5", "10.244.2.7"));
    tracker.checkout();
    tracker.onEndpointSlice(slice("10.244.2.7"));
    var plan = StaleConntrack.plan(tracker.checkout(), tracker);
    assertThat(plan)
        .map(Object::toString)
        .containsExactly(
            "conntrack -D -p udp --orig-dst 10.96.0.10 --dst-nat 10.244.1.5",
            "conntrack -D -p udp --orig-port-dst 30053 --dst-nat 10.244.1.5");
  }

  @Test
  void aDeletedUdpServiceFlushesItsClusterIp() {
    tracker.onService(dns());
    tracker.checkout();
    tracker.onServiceDeleted("kube-system", "dns");
    assertThat(StaleConntrack.plan(tracker.checkout(), tracker))
        .map(Object::toString)
        .containsExactly("conntrack -D -p udp --orig-dst 10.96.0.10");
  }

  @Test
  void aChangeUndoneBeforeTheSyncIsNoChange() {
    tracker.onService(dns());
    tracker.onEndpointSlice(slice("10.244.1.5"));
    tracker.checkout();
    tracker.onEndpointSlice(slice("10.244.9.9"));
    tracker.onEndpointSlice(slice("10.244.1.5"));
    var changes = tracker.checkout();
    assertThat(changes.touches("kube-system/dns")).isFalse();
    assertThat(StaleConntrack.plan(changes, tracker)).isEqualTo(List.of());
  }
}
