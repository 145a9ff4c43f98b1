package dev.podpath.kube.print;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get svc}'s EXTERNAL-IP column: a LoadBalancer's ingress IPs (then its
 * externalIPs), {@code <pending>} before it has any, externalIPs for other types, else {@code
 * <none>}.
 */
class ServiceTableTest {

  private static Service svc(String name, String type, List<String> ingress, List<String> ext) {
    var b =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .withNewSpec()
            .withType(type)
            .withClusterIP("10.96.0.20")
            .withExternalIPs(ext)
            .addNewPort()
            .withPort(80)
            .withProtocol("TCP")
            .endPort()
            .endSpec();
    var s = b.build();
    if (!ingress.isEmpty()) {
      s.setStatus(
          new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
              .withNewLoadBalancer()
              .withIngress(
                  ingress.stream()
                      .map(
                          ip ->
                              new io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder()
                                  .withIp(ip)
                                  .build())
                      .toList())
              .endLoadBalancer()
              .build());
    }
    return s;
  }

  @Test
  void externalIpShowsLoadBalancerIngressThenExternalIps() {
    String table =
        Printer.print(
            List.of(
                svc("a", "LoadBalancer", List.of("172.18.255.200"), List.of()),
                svc("b", "LoadBalancer", List.of(), List.of()),
                svc("c", "LoadBalancer", List.of("172.18.255.201"), List.of("203.0.113.10")),
                svc("d", "ClusterIP", List.of(), List.of("203.0.113.11")),
                svc("e", "ClusterIP", List.of(), List.of())),
            OutputFormat.TABLE,
            false,
            Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(table.lines().map(l -> l.split("\\s+")[3]).toList())
        .containsExactly(
            "EXTERNAL-IP",
            "172.18.255.200",
            "<pending>",
            "172.18.255.201,203.0.113.10",
            "203.0.113.11",
            "<none>");
  }
}
