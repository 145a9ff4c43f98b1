package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.kernel.walk.Attempt;
import dev.podpath.kernel.walk.ProbeRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Where upstream's test tracer is cruder than the kernel: it never evaluates {@code recent} ({@code
 * --rcheck}) and lists every endpoint a statistic chain may pick. Through the emulated kernel the
 * same generated rules give each endpoint its exact probability and keep a ClientIP client on one
 * endpoint.
 */
class KernelFaithfulnessTest {

  private static final String PROXIER =
      """
      ip_family: IPv4
      node_name: test-node
      node_ip: 192.168.0.2
      cluster_cidr: 10.0.0.0/8
      local_detector: ClusterCIDR
      local_detector_cidr: 10.0.0.0/8
      masquerade_all: false
      masquerade_mark: "0x4000"
      node_port_addresses: []
      localhost_nodeports: true
      nfacct_counters: []
      interface_addresses:
        lo: [127.0.0.1/8]
        eth0: [192.168.0.2/24, 192.168.1.2/24, 192.168.99.11/24]
      tracer_local_ips: [127.0.0.1, 192.168.0.2, 192.168.1.2, 192.168.99.11]
      """;

  private static KernelFlowRig rig(String affinity) throws Exception {
    JsonNode block = Corpus.YAML.readTree(PROXIER);
    var rig = new KernelFlowRig(block, new CorpusRig(block));
    rig.tracker.onService(
        Corpus.YAML.convertValue(
            Corpus.YAML.readTree(
                """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: ns}
        spec:
          clusterIP: 172.30.0.50
          sessionAffinity: %s
          ports: [{name: http, port: 80, protocol: TCP}]
        """
                    .formatted(affinity)),
            io.fabric8.kubernetes.api.model.Service.class));
    rig.tracker.onEndpointSlice(
        Corpus.YAML.convertValue(
            Corpus.YAML.readTree(
                """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: ns, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        endpoints:
        - addresses: [10.180.0.1]
        - addresses: [10.180.0.2]
        - addresses: [10.180.0.3]
        ports: [{name: http, port: 8080, protocol: TCP}]
        """),
            io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class));
    assertThat(rig.proxier.sync().succeeded()).isTrue();
    rig.populate();
    return rig;
  }

  @Test
  void exploringGivesEachOfThreeEndpointsExactlyOneThird() throws Exception {
    var rig = rig("None");
    var result = rig.probe("10.0.0.2", "TCP", "172.30.0.50", 80);
    assertThat(result.attempts()).hasSize(3);
    for (Attempt a : result.attempts()) {
      assertThat(a.probability()).isCloseTo(1.0 / 3, within(1e-9));
    }
    assertThat(
            result.attempts().stream()
                .map(a -> a.delivery().orElseThrow().local())
                .collect(Collectors.toSet()))
        .isEqualTo(Set.of("10.180.0.1:8080", "10.180.0.2:8080", "10.180.0.3:8080"));
  }

  @Test
  void clientIpAffinityKeepsOneClientOnOneEndpoint() throws Exception {
    assertThat(endpointsReachedBy20Connections("ClientIP")).isEqualTo(1);
    assertThat(endpointsReachedBy20Connections("None")).isGreaterThan(1);
  }

  private static long endpointsReachedBy20Connections(String affinity) throws Exception {
    var rig = rig(affinity);
    rig.probe("10.0.0.2", "TCP", "172.30.0.50", 80);
    var req =
        new ProbeRequest(
            Protocol.TCP,
            rig.world.ns("test-node/pod0"),
            Optional.of(IpAddress.parse("10.0.0.2")),
            Optional.empty(),
            IpAddress.parse("172.30.0.50"),
            80,
            20,
            false,
            7);
    var result = rig.world.prober().probe(req);
    assertThat(result.attempts()).hasSize(20);
    return result.attempts().stream()
        .map(a -> a.delivery().orElseThrow().local())
        .distinct()
        .count();
  }
}
