package dev.podpath.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.forward.StubUpstream;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.net.IpAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ClusterDnsTest {

  @Test
  void aServiceAppearsAndDisappearsAsTheWatchReportsIt() {
    ObjectCluster cluster = Shop.cluster();
    ClusterDns dns = Shop.dns(cluster, Optional.empty());
    assertThat(dns.handle(Shop.a("api.shop.svc.cluster.local")).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);

    cluster.apply(
        Shop.service(
            "{apiVersion: v1, kind: Service, metadata: {name: api, namespace: shop},"
                + " spec: {clusterIP: 10.96.0.30, ports: [{name: http, port: 80, protocol: TCP}]}}"));
    Message added = dns.handle(Shop.a("api.shop.svc.cluster.local"));
    assertThat(added.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(added.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("10.96.0.30");

    cluster.delete("Service", "shop", "api");
    assertThat(dns.handle(Shop.a("api.shop.svc.cluster.local")).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void anEndpointLeavesTheHeadlessAnswerWhenItStopsBeingReady() {
    ObjectCluster cluster = Shop.cluster();
    ClusterDns dns = Shop.dns(cluster, Optional.empty());
    assertThat(dns.handle(Shop.a("db-0.db.shop.svc.cluster.local")).getSection(Section.ANSWER))
        .hasSize(1);
    cluster.apply(
        Shop.slice(
            "{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: db-1,"
                + " namespace: shop, labels: {kubernetes.io/service-name: db}}, addressType: IPv4,"
                + " endpoints: [{addresses: [10.244.2.7], hostname: db-0, conditions: {ready: false}}]}"));
    assertThat(dns.handle(Shop.a("db-0.db.shop.svc.cluster.local")).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(dns.handle(Shop.a("db.shop.svc.cluster.local")).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void namesOutsideTheZoneAreForwardedAndCached() {
    StubUpstream upstream =
        new StubUpstream(
            List.of(RecordFactory.address("example.com.", 300, IpAddress.parse("192.0.2.1"))));
    ClusterDns dns = Shop.dns(Shop.cluster(), Optional.of(upstream));
    Message first = dns.handle(Shop.a("example.com"));
    Message second = dns.handle(Shop.a("EXAMPLE.com"));
    assertThat(first.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.1");
    assertThat(second.getSection(Section.ANSWER)).hasSize(1);
    assertThat(upstream.queries()).isEqualTo(1);
    assertThat(dns.handle(Shop.a("nope.example.org")).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void withoutAnUpstreamOutOfZoneNamesAreServfail() {
    ClusterDns dns = Shop.dns(Shop.cluster(), Optional.empty());
    assertThat(dns.handle(Shop.a("example.com")).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void zoneTransfersAreRefused() {
    ClusterDns dns = Shop.dns(Shop.cluster(), Optional.empty());
    assertThat(dns.handle(Shop.query("cluster.local", Type.AXFR)).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  /**
   * Current CoreDNS's kubernetes plugin no longer expands wildcards (see docs/dns.md): a {@code *}
   * or {@code any} label is an ordinary name that no Service has.
   */
  @Test
  void wildcardLabelsAreOrdinaryNamesThatDoNotExist() {
    ClusterDns dns = Shop.dns(Shop.cluster(), Optional.empty());
    for (String name :
        List.of(
            "*.shop.svc.cluster.local",
            "any.shop.svc.cluster.local",
            "web.*.svc.cluster.local",
            "_*._tcp.web.shop.svc.cluster.local")) {
      Message m = dns.handle(Shop.query(name, Type.A));
      assertThat(m.getRcode()).as(name).isEqualTo(Rcode.NXDOMAIN);
      assertThat(m.getSection(Section.ANSWER)).as(name).isEmpty();
    }
    assertThat(dns.handle(Shop.a("web.shop.svc.cluster.local")).getRcode())
        .isEqualTo(Rcode.NOERROR);
  }
}
