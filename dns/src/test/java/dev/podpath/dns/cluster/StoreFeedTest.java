package dev.podpath.dns.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.shape.ClusterShape;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS fed by the control plane's watches: StatefulSet pods get names, and records follow changes.
 */
class StoreFeedTest {

  private static final String NGINX =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: nginx, namespace: default}
      spec:
        clusterIP: None
        selector: {app: nginx}
        ports: [{name: web, port: 80}]
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: web, namespace: default}
      spec:
        serviceName: nginx
        replicas: 2
        selector: {matchLabels: {app: nginx}}
        template:
          metadata: {labels: {app: nginx}}
          spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: web}]}]}
      """;

  private static Message ask(ClusterDns dns, String name, int type) {
    return dns.handle(
        Message.newQuery(Record.newRecord(RecordFactory.name(name), type, DClass.IN)));
  }

  @Test
  void statefulSetPodsResolveByHostnameAndLeaveWhenScaledDown() {
    ControlPlane cp = ControlPlane.start(ClusterShape.defaults());
    try (StoreFeed feed = StoreFeed.watch(cp.store())) {
      ClusterDns dns =
          new ClusterDns(
              feed,
              DnsOptions.kubeadm("cluster.local"),
              Optional.empty(),
              new ResponseCache(CacheSettings.kubeadm(), System::nanoTime),
              () -> 1L);
      assertThat(ask(dns, "nginx.default.svc.cluster.local", Type.A).getRcode())
          .isEqualTo(Rcode.NXDOMAIN);
      assertThat(ask(dns, "kubernetes.default.svc.cluster.local", Type.A).getRcode())
          .isEqualTo(Rcode.NOERROR);

      cp.apply(ManifestReader.parse("nginx.yaml", NGINX));
      Message web0 = ask(dns, "web-0.nginx.default.svc.cluster.local", Type.A);
      assertThat(web0.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ask(dns, "nginx.default.svc.cluster.local", Type.A).getSection(Section.ANSWER))
          .hasSize(2);
      assertThat(
              ask(dns, "_web._tcp.nginx.default.svc.cluster.local", Type.SRV)
                  .getSection(Section.ANSWER))
          .extracting(r -> r.getAdditionalName().toString())
          .containsExactlyInAnyOrder(
              "web-0.nginx.default.svc.cluster.local.", "web-1.nginx.default.svc.cluster.local.");

      cp.scale(Kind.STATEFUL_SET, "default", "web", 1);
      cp.advance(java.time.Duration.ofMinutes(1));
      assertThat(ask(dns, "web-1.nginx.default.svc.cluster.local", Type.A).getRcode())
          .isEqualTo(Rcode.NXDOMAIN);
      assertThat(ask(dns, "web-0.nginx.default.svc.cluster.local", Type.A).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
  }
}
