package dev.podpath.kube;

import dev.podpath.kube.endpoints.SliceLabels;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.kube.shape.TaintSpec;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What exists in a fresh cluster before any manifest: the system namespaces, the Node objects of
 * the shape (as their kubelets would register them), and the {@code default/kubernetes} Service
 * with the Endpoints and EndpointSlice the API server's own reconciler writes.
 */
final class Bootstrap {

  /** The API server's secure port, the {@code kubernetes} Service's target. */
  static final int API_SERVER_PORT = 6443;

  /** The Kubernetes version podpath's nodes report. */
  static final String KUBELET_VERSION = "v1.33.1";

  private Bootstrap() {}

  static void namespaces(ApiStore store) {
    for (String ns : List.of("default", "kube-node-lease", "kube-public", "kube-system")) {
      store.create(
          new NamespaceBuilder()
              .withNewMetadata()
              .withName(ns)
              .addToLabels("kubernetes.io/metadata.name", ns)
              .endMetadata()
              .build());
    }
  }

  /** The Node object a kubelet registers for {@code shape}. */
  static Node node(NodeShape shape) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/hostname", shape.name());
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.putAll(shape.labels());
    List<Taint> taints = new ArrayList<>();
    for (TaintSpec t : shape.taints()) {
      taints.add(new Taint(t.effect(), t.key(), null, t.value().isEmpty() ? null : t.value()));
    }
    Map<String, Quantity> capacity = new TreeMap<>();
    shape.capacity().forEach((k, v) -> capacity.put(k, new Quantity(v)));
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(shape.name())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withTaints(taints.isEmpty() ? null : taints)
            .endSpec()
            .withNewStatus()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("kubelet is posting ready status")
            .endCondition()
            .withNewNodeInfo()
            .withKubeletVersion(KUBELET_VERSION)
            .withKubeProxyVersion(KUBELET_VERSION)
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withOsImage("Debian GNU/Linux 12 (bookworm)")
            .withKernelVersion("6.1.0-podpath")
            .withContainerRuntimeVersion("containerd://2.1.1")
            .endNodeInfo()
            .endStatus();
    var status = b.editStatus();
    for (IpAddress a : shape.addresses()) {
      status.addNewAddress().withType("InternalIP").withAddress(a.toString()).endAddress();
    }
    status.addNewAddress().withType("Hostname").withAddress(shape.name()).endAddress();
    return status.endStatus().build();
  }

  /** The {@code kubernetes} Service on the first service IP, and its endpoints. */
  static void apiServerService(ApiStore store, ClusterShape shape, IpAddress serviceIp) {
    store.create(
        new ServiceBuilder()
            .withNewMetadata()
            .withName("kubernetes")
            .withNamespace("default")
            .addToLabels("component", "apiserver")
            .addToLabels("provider", "kubernetes")
            .endMetadata()
            .withNewSpec()
            .withClusterIP(serviceIp.toString())
            .addNewPort()
            .withName("https")
            .withPort(443)
            .withProtocol("TCP")
            .withTargetPort(new IntOrString(API_SERVER_PORT))
            .endPort()
            .endSpec()
            .build());
    List<String> ips = new ArrayList<>();
    for (NodeShape n : shape.nodes()) {
      if (n.isControlPlane()) {
        n.addresses().stream().findFirst().ifPresent(a -> ips.add(a.toString()));
      }
    }
    if (ips.isEmpty()) {
      return;
    }
    EndpointsBuilder ep =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName("kubernetes")
            .withNamespace("default")
            .addToLabels(SliceLabels.SKIP_MIRROR, "true")
            .endMetadata();
    var subset = ep.addNewSubset();
    ips.forEach(ip -> subset.addNewAddress().withIp(ip).endAddress());
    subset.addNewPort().withName("https").withPort(API_SERVER_PORT).withProtocol("TCP").endPort();
    store.create(subset.endSubset().build());
    boolean v6 = ips.stream().allMatch(ip -> IpAddress.parse(ip).family() == IpFamily.IPV6);
    var slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("kubernetes")
            .withNamespace("default")
            .addToLabels(SliceLabels.SERVICE_NAME, "kubernetes")
            .endMetadata()
            .withAddressType(v6 ? "IPv6" : "IPv4");
    ips.forEach(
        ip ->
            slice
                .addNewEndpoint()
                .withAddresses(ip)
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint());
    slice.addNewPort().withName("https").withPort(API_SERVER_PORT).withProtocol("TCP").endPort();
    store.create(slice.build());
  }
}
