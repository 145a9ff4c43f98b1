package dev.podpath.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.records.DnsIndex;
import dev.podpath.dns.records.KubernetesRecords;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.Yaml;

class ZoneExportTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static String zone() {
    List<HasMetadata> objects = new ArrayList<>();
    for (Object o :
        (List<?>)
            new Yaml()
                .load(
                    """
        - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop},
           spec: {clusterIP: 10.96.0.20, ports: [{name: http, port: 80, protocol: TCP}]}}
        - {apiVersion: v1, kind: Service, metadata: {name: db, namespace: shop},
           spec: {clusterIP: None, ports: [{name: pg, port: 5432, protocol: TCP}]}}
        - {apiVersion: v1, kind: Service, metadata: {name: pay, namespace: shop},
           spec: {type: ExternalName, externalName: pay.example.com}}
        - apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: db-1, namespace: shop, labels: {kubernetes.io/service-name: db}}
          addressType: IPv4
          ports: [{name: pg, port: 5432, protocol: TCP}]
          endpoints: [{addresses: [10.244.2.7], hostname: db-0}, {addresses: [10.244.1.9], hostname: db-1}]
        """)) {
      Map<?, ?> m = (Map<?, ?>) o;
      Class<? extends HasMetadata> type =
          m.get("kind").equals("Service") ? Service.class : EndpointSlice.class;
      objects.add(JSON.convertValue(m, type));
    }
    DnsOptions options =
        DnsOptions.kubeadm("cluster.local").withLocalIps(List.of(IpAddress.parse("127.0.0.1")));
    return ZoneExport.write(
        new KubernetesRecords(DnsIndex.of(ObjectCluster.of(objects).current(), 1), options),
        options,
        true);
  }

  @Test
  void theZoneIsAStandardZoneFileHoldingWhatTheServerAnswers() throws Exception {
    String text = zone();
    List<Record> records = new ArrayList<>();
    try (Master m =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
      }
    }
    assertThat(records)
        .extracting(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .contains(
            "cluster.local. SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30",
            "cluster.local. NS ns.dns.cluster.local.",
            "ns.dns.cluster.local. A 127.0.0.1",
            "dns-version.cluster.local. TXT \"1.1.0\"",
            "web.shop.svc.cluster.local. A 10.96.0.20",
            "_http._tcp.web.shop.svc.cluster.local. SRV 0 100 80 web.shop.svc.cluster.local.",
            "db.shop.svc.cluster.local. A 10.244.2.7",
            "db.shop.svc.cluster.local. A 10.244.1.9",
            "_pg._tcp.db.shop.svc.cluster.local. SRV 0 50 5432 db-0.db.shop.svc.cluster.local.",
            "db-1.db.shop.svc.cluster.local. A 10.244.1.9",
            "pay.shop.svc.cluster.local. CNAME pay.example.com.",
            "20.0.96.10.in-addr.arpa. PTR web.shop.svc.cluster.local.",
            "7.2.244.10.in-addr.arpa. PTR db-0.db.shop.svc.cluster.local.");
  }

  @Test
  void theExportIsDeterministic() {
    assertThat(zone()).isEqualTo(zone());
  }
}
