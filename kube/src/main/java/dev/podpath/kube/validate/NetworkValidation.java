package dev.podpath.kube.validate;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of the networking kinds: Service, Endpoints, EndpointSlice, NetworkPolicy. */
final class NetworkValidation {

  static final List<String> SERVICE_TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");

  private NetworkValidation() {}

  static void validate(Errors e, HasMetadata object) {
    switch (object) {
      case Service s -> service(e, s.getSpec());
      case Endpoints ep -> endpoints(e, ep);
      case EndpointSlice es -> slice(e, es);
      case NetworkPolicy np -> policy(e, np);
      default -> {}
    }
  }

  private static void service(Errors e, ServiceSpec spec) {
    if (spec == null) {
      e.add(FieldError.required("spec.ports", ""));
      return;
    }
    String type = spec.getType() == null ? "ClusterIP" : spec.getType();
    if (!SERVICE_TYPES.contains(type)) {
      e.add(FieldError.notSupported("spec.type", type, SERVICE_TYPES));
    }
    boolean headless = "None".equals(spec.getClusterIP());
    List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
    if (type.equals("ExternalName")) {
      if (spec.getExternalName() == null || spec.getExternalName().isEmpty()) {
        e.add(FieldError.required("spec.externalName", ""));
      }
    } else if (ports.isEmpty() && !headless) {
      e.add(FieldError.required("spec.ports", ""));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String pp = "spec.ports[" + i + "]";
      if (ports.size() > 1 && (p.getName() == null || p.getName().isEmpty())) {
        e.add(FieldError.required(pp + ".name", ""));
      } else if (p.getName() != null && !p.getName().isEmpty()) {
        e.name(pp + ".name", p.getName(), Errors.NameRule.DNS1123_LABEL);
        if (!names.add(p.getName())) {
          e.add(FieldError.duplicate(pp + ".name", p.getName()));
        }
      }
      e.port(pp + ".port", p.getPort());
      e.protocol(pp + ".protocol", p.getProtocol());
      e.intOrStringPort(pp + ".targetPort", p.getTargetPort());
      if (p.getNodePort() != null && p.getNodePort() != 0) {
        e.port(pp + ".nodePort", p.getNodePort());
      }
    }
    if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty() && !headless) {
      e.ip("spec.clusterIPs[0]", spec.getClusterIP());
    }
    if (spec.getSelector() != null) {
      e.labels("spec.selector", spec.getSelector());
    }
  }

  private static void endpoints(Errors e, Endpoints ep) {
    List<EndpointSubset> subsets = ep.getSubsets() == null ? List.of() : ep.getSubsets();
    for (int i = 0; i < subsets.size(); i++) {
      EndpointSubset s = subsets.get(i);
      String sp = "subsets[" + i + "]";
      addresses(e, sp + ".addresses", s.getAddresses());
      addresses(e, sp + ".notReadyAddresses", s.getNotReadyAddresses());
      List<EndpointPort> ports = s.getPorts() == null ? List.of() : s.getPorts();
      for (int j = 0; j < ports.size(); j++) {
        EndpointPort p = ports.get(j);
        e.port(sp + ".ports[" + j + "].port", p.getPort());
        e.protocol(sp + ".ports[" + j + "].protocol", p.getProtocol());
      }
    }
  }

  private static void addresses(Errors e, String path, List<EndpointAddress> addrs) {
    if (addrs == null) {
      return;
    }
    for (int k = 0; k < addrs.size(); k++) {
      EndpointAddress a = addrs.get(k);
      if (a.getIp() == null || a.getIp().isEmpty()) {
        e.add(FieldError.required(path + "[" + k + "].ip", ""));
      } else {
        e.ip(path + "[" + k + "].ip", a.getIp());
      }
    }
  }

  private static void slice(Errors e, EndpointSlice es) {
    String type = es.getAddressType();
    if (type == null) {
      e.add(FieldError.required("addressType", ""));
      return;
    }
    if (!ADDRESS_TYPES.contains(type)) {
      e.add(FieldError.notSupported("addressType", type, ADDRESS_TYPES));
      return;
    }
    List<Endpoint> eps = es.getEndpoints() == null ? List.of() : es.getEndpoints();
    if (eps.size() > 1000) {
      e.add(
          new FieldError(
              "endpoints",
              FieldError.Type.TOO_MANY,
              eps.size() + ": must have at most 1000 items"));
    }
    for (int i = 0; i < eps.size(); i++) {
      List<String> addrs =
          eps.get(i).getAddresses() == null ? List.of() : eps.get(i).getAddresses();
      if (addrs.isEmpty() || addrs.size() > 100) {
        e.add(
            FieldError.required(
                "endpoints[" + i + "].addresses",
                "must contain at least 1 address but no more than 100"));
      }
      for (int j = 0; j < addrs.size(); j++) {
        String path = "endpoints[" + i + "].addresses[" + j + "]";
        if (type.equals("FQDN")) {
          e.name(path, addrs.get(j), Errors.NameRule.SUBDOMAIN);
          continue;
        }
        IpAddress ip = Errors.parseIp(addrs.get(j));
        IpFamily want = type.equals("IPv4") ? IpFamily.IPV4 : IpFamily.IPV6;
        if (ip == null || ip.family() != want) {
          e.add(FieldError.invalid(path, addrs.get(j), "must be a valid " + type + " address"));
        }
      }
    }
    var ports =
        es.getPorts() == null
            ? List.<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort>of()
            : es.getPorts();
    for (int i = 0; i < ports.size(); i++) {
      if (ports.get(i).getPort() != null) {
        e.port("ports[" + i + "].port", ports.get(i).getPort());
      }
      e.protocol("ports[" + i + "].protocol", ports.get(i).getProtocol());
    }
  }

  private static void policy(Errors e, NetworkPolicy np) {
    var spec = np.getSpec();
    if (spec == null) {
      return;
    }
    var ingress =
        spec.getIngress() == null
            ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of()
            : spec.getIngress();
    for (int i = 0; i < ingress.size(); i++) {
      peers(e, "spec.ingress[" + i + "].from", ingress.get(i).getFrom());
      ports(e, "spec.ingress[" + i + "].ports", ingress.get(i).getPorts());
    }
    var egress =
        spec.getEgress() == null
            ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>of()
            : spec.getEgress();
    for (int i = 0; i < egress.size(); i++) {
      peers(e, "spec.egress[" + i + "].to", egress.get(i).getTo());
      ports(e, "spec.egress[" + i + "].ports", egress.get(i).getPorts());
    }
    List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
    for (int i = 0; i < types.size(); i++) {
      if (!types.get(i).equals("Ingress") && !types.get(i).equals("Egress")) {
        e.add(
            FieldError.notSupported(
                "spec.policyTypes[" + i + "]", types.get(i), List.of("Egress", "Ingress")));
      }
    }
  }

  private static void peers(Errors e, String path, List<NetworkPolicyPeer> peers) {
    if (peers == null) {
      return;
    }
    for (int j = 0; j < peers.size(); j++) {
      var block = peers.get(j).getIpBlock();
      if (block != null) {
        String bp = path + "[" + j + "].ipBlock";
        e.cidr(bp + ".cidr", block.getCidr());
        List<String> except = block.getExcept() == null ? List.of() : block.getExcept();
        for (int k = 0; k < except.size(); k++) {
          e.cidr(bp + ".except[" + k + "]", except.get(k));
        }
      }
    }
  }

  private static void ports(Errors e, String path, List<NetworkPolicyPort> ports) {
    if (ports == null) {
      return;
    }
    for (int j = 0; j < ports.size(); j++) {
      e.protocol(path + "[" + j + "].protocol", ports.get(j).getProtocol());
      e.intOrStringPort(path + "[" + j + "].port", ports.get(j).getPort());
      if (ports.get(j).getEndPort() != null) {
        e.port(path + "[" + j + "].endPort", ports.get(j).getEndPort());
      }
    }
  }
}
