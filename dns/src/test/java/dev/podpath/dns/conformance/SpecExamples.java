package dev.podpath.dns.conformance;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.PodMode;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Record;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects the specification's examples imply (suite {@code spec-examples} has no fixture):
 * Service default/kubernetes with ClusterIPs 10.3.0.1 and 2001:db8::1 and port https/443, headless
 * default/headless with endpoints 10.3.0.1..3 and my-pet at 10.3.0.100, and ExternalName
 * default/foo to www.example.com, whose upstream answers 192.0.2.53.
 */
final class SpecExamples {

  private SpecExamples() {}

  static final DnsOptions OPTIONS =
      new DnsOptions(
          List.of("cluster.local.", "in-addr.arpa.", "ip6.arpa."),
          Set.of(),
          PodMode.INSECURE,
          30,
          false,
          false,
          List.of(),
          List.of());

  static final Map<String, Object> FIXTURE =
      Map.of(
          "spec_examples",
          true,
          "objects",
          new Yaml()
              .load(
                  """
      - {apiVersion: v1, kind: Service, metadata: {name: kubernetes, namespace: default},
         spec: {clusterIP: 10.3.0.1, clusterIPs: [10.3.0.1, "2001:db8::1"], ipFamilies: [IPv4, IPv6],
                ports: [{name: https, port: 443, protocol: TCP}]}}
      - {apiVersion: v1, kind: Service, metadata: {name: headless, namespace: default},
         spec: {clusterIP: None, clusterIPs: [None], ports: [{name: http, port: 80, protocol: TCP}]}}
      - apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: headless-1, namespace: default, labels: {kubernetes.io/service-name: headless}}
        addressType: IPv4
        ports: [{name: http, port: 80, protocol: TCP}]
        endpoints:
          - {addresses: [10.3.0.1]}
          - {addresses: [10.3.0.2]}
          - {addresses: [10.3.0.3]}
          - {addresses: [10.3.0.100], hostname: my-pet}
      - {apiVersion: v1, kind: Service, metadata: {name: foo, namespace: default},
         spec: {type: ExternalName, externalName: www.example.com}}
      """));

  static List<Record> upstreamRecords(Map<String, Object> fixture) {
    if (!fixture.containsKey("spec_examples")) {
      return List.of();
    }
    return List.of(RecordFactory.address("www.example.com.", 300, IpAddress.parse("192.0.2.53")));
  }
}
