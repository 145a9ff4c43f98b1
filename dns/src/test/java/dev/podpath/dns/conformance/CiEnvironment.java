package dev.podpath.dns.conformance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.yaml.snakeyaml.Yaml;

/**
 * What a kind/minikube cluster running the coredns/ci tests has besides the applied objects: the
 * {@code kube-system/kube-dns} Service (10.96.0.10) whose endpoints hold CoreDNS's own pod IP,
 * which is how CoreDNS names itself in NS answers.
 */
final class CiEnvironment {

  private CiEnvironment() {}

  static List<HasMetadata> objects(String corednsPodIp) {
    String yaml =
        """
        - {apiVersion: v1, kind: Service, metadata: {name: kube-dns, namespace: kube-system},
           spec: {clusterIP: 10.96.0.10, clusterIPs: [10.96.0.10],
                  ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP},
                          {name: metrics, port: 9153, protocol: TCP}]}}
        - apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: kube-dns-abcde, namespace: kube-system, labels: {kubernetes.io/service-name: kube-dns}}
          addressType: IPv4
          ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP},
                  {name: metrics, port: 9153, protocol: TCP}]
          endpoints: [{addresses: [COREDNS_POD_IP], conditions: {ready: true}}]
        """
            .replace("COREDNS_POD_IP", corednsPodIp);
    return VectorFile.objects(new Yaml().load(yaml));
  }
}
