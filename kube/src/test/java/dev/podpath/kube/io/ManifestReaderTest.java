package dev.podpath.kube.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.kube.shape.ProxyMode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  private static final String MULTI =
      """
      # a comment first
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector: {app: web}
        ports:
        - port: 80
          targetPort: http
      ---
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx
              ports: [{name: http, containerPort: 8080}]
      """;

  @Test
  void multiDocumentYamlKeepsEachObjectsLine() {
    ManifestSet set = ManifestReader.parse("web.yaml", MULTI);
    assertThat(set.objects()).hasSize(2);
    assertThat(set.objects().get(0).object()).isInstanceOf(Service.class);
    assertThat(set.objects().get(0).source()).isEqualTo(new Source("web.yaml", 2));
    Deployment d = (Deployment) set.objects().get(1).object();
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(set.objects().get(1).source().line()).isEqualTo(13);
    Service s = (Service) set.objects().get(0).object();
    assertThat(s.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(set.cluster()).isEmpty();
  }

  @Test
  void numbersBecomeIntOrStringAndQuantities() {
    ManifestSet set =
        ManifestReader.parse(
            "n.yaml",
            """
        apiVersion: v1
        kind: Service
        metadata: {name: s}
        spec:
          ports: [{port: 443, targetPort: 8443}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: c
            resources: {requests: {cpu: 0.5, memory: 128974848}}
        """);
    Service s = (Service) set.objects().getFirst().object();
    assertThat(s.getSpec().getPorts().getFirst().getTargetPort().getIntVal()).isEqualTo(8443);
    Pod p = (Pod) set.objects().get(1).object();
    assertThat(
            p.getSpec()
                .getContainers()
                .getFirst()
                .getResources()
                .getRequests()
                .get("cpu")
                .toString())
        .isEqualTo("0.5");
  }

  @Test
  void listKindIsFlattenedWithItemLines() {
    String list =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a}
        - apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: web-abc}
          addressType: IPv4
          endpoints: []
        """;
    ManifestSet set = ManifestReader.parse("dump.yaml", list);
    assertThat(set.objects()).extracting(m -> m.source().line()).containsExactly(4, 7);
    assertThat(set.objects().get(1).object()).isInstanceOf(EndpointSlice.class);
  }

  @Test
  void jsonDocumentsAndJsonLists() {
    String json =
        """
        {"apiVersion": "v1", "kind": "PodList", "items": [
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
           "status": {"podIP": "10.244.1.5"}},
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}
        ]}
        """;
    ManifestSet set = ManifestReader.parse("pods.json", json);
    assertThat(set.objects()).hasSize(2);
    assertThat(((Pod) set.objects().get(0).object()).getStatus().getPodIP())
        .isEqualTo("10.244.1.5");
    assertThat(set.objects().get(1).source().line()).isEqualTo(4);
  }

  @Test
  void unknownKindNamesFileAndLine() {
    String text =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n"
            + "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
    assertThatThrownBy(() -> ManifestReader.parse("w.yaml", text))
        .isInstanceOf(ManifestException.class)
        .hasMessage("w.yaml:5: no matches for kind \"Widget\" in version \"example.com/v1\"");
  }

  @Test
  void wrongVersionOfAKnownKindIsUnknown() {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "d.yaml",
                    "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n"))
        .hasMessage(
            "d.yaml:1: no matches for kind \"Deployment\" in version" + " \"extensions/v1beta1\"");
  }

  @Test
  void missingKindAndSyntaxErrorsAreLocated() {
    assertThatThrownBy(() -> ManifestReader.parse("x.yaml", "apiVersion: v1\nmetadata: {}\n"))
        .hasMessageStartingWith("x.yaml:1: Object 'Kind' is missing");
    assertThatThrownBy(() -> ManifestReader.parse("y.yaml", "a: [1, 2\nb: c: d\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("y.yaml:");
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "z.yaml",
                    "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: 7}\n"))
        .hasMessageStartingWith("z.yaml:1: cannot decode Service:");
  }

  @Test
  void directoriesAreReadRecursivelyInSortedOrder(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("b/sub"));
    Files.writeString(dir.resolve("b/sub/z.yaml"), pod("z"));
    Files.writeString(dir.resolve("a.yml"), pod("a"));
    Files.writeString(
        dir.resolve("b/m.json"),
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"m\"}}");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    ManifestSet set = ManifestReader.read(dir);
    assertThat(set.objects())
        .extracting(m -> m.object().getMetadata().getName())
        .containsExactly("a", "m", "z");
    assertThat(set.objects().get(2).source().file()).endsWith("z.yaml");
  }

  @Test
  void standardInputIsNamedDash() {
    ManifestSet set =
        ManifestReader.read(
            List.of("-"), new ByteArrayInputStream(pod("s").getBytes(StandardCharsets.UTF_8)));
    assertThat(set.objects().getFirst().source()).isEqualTo(new Source("-", 1));
  }

  @Test
  void missingPathIsAnError() {
    assertThatThrownBy(() -> ManifestReader.read(Path.of("/nonexistent/x.yaml")))
        .hasMessage("/nonexistent/x.yaml: the path \"/nonexistent/x.yaml\" does not exist");
  }

  @Test
  void clusterKindWithDefaults() {
    ManifestSet set =
        ManifestReader.parse(
            "c.yaml",
            """
        apiVersion: podpath.dev/v1alpha1
        kind: Cluster
        metadata: {name: lab}
        spec:
          proxyMode: ipvs
          cni: overlay
          nodes:
          - {name: cp, role: control-plane}
          - name: w1
            labels: {topology.kubernetes.io/zone: a}
            taints: ["dedicated=db:NoSchedule"]
            capacity: {pods: "10"}
        """);
    ClusterShape c = set.cluster().orElseThrow().shape();
    assertThat(c.name()).isEqualTo("lab");
    assertThat(c.proxyMode()).isEqualTo(ProxyMode.IPVS);
    assertThat(c.cniMode()).isEqualTo(CniMode.OVERLAY);
    assertThat(c.clusterCidrs()).hasToString("[10.244.0.0/16]");
    assertThat(c.serviceCidrs()).hasToString("[10.96.0.0/12]");
    assertThat(c.nodeCidrMaskSize()).isEqualTo(24);
    assertThat(c.clusterDomain()).isEqualTo("cluster.local");
    assertThat(c.nodes().get(0).isControlPlane()).isTrue();
    assertThat(c.nodes().get(0).taints())
        .hasToString("[node-role.kubernetes.io/control-plane:NoSchedule]");
    assertThat(c.nodes().get(1).capacity()).containsEntry("pods", "10").containsEntry("cpu", "4");
    assertThat(c.nodes().get(1).addresses()).hasToString("[172.18.0.3]");
    assertThat(set.cluster().orElseThrow().source()).isEqualTo(new Source("c.yaml", 1));
  }

  @Test
  void defaultShapeIsOneControlPlaneAndTwoWorkers() {
    ClusterShape d = ClusterShape.defaults();
    assertThat(d.nodes())
        .extracting(n -> n.name())
        .containsExactly("control-plane", "worker", "worker2");
    assertThat(d.proxyMode()).isEqualTo(ProxyMode.IPTABLES);
  }

  @Test
  void clusterUnknownFieldIsAnError() {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "c.yaml",
                    "apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nspec: {podCidr: x}\n"))
        .hasMessage("c.yaml:1: Cluster: unknown field \"spec.podCidr\"");
  }

  @Test
  void kubeProxyConfigurationIsPassedThroughWithItsLocation() {
    ManifestSet set =
        ManifestReader.parse(
            "m.yaml",
            pod("a")
                + """
                ---
                apiVersion: kubeproxy.config.k8s.io/v1alpha1
                kind: KubeProxyConfiguration
                mode: ipvs
                ipvs: {scheduler: lc}
                """);
    assertThat(set.objects()).hasSize(1);
    ComponentConfig c = set.kubeProxyConfiguration().orElseThrow();
    assertThat(c.source()).isEqualTo(new Source("m.yaml", 6));
    assertThat(c.apiVersion()).isEqualTo("kubeproxy.config.k8s.io/v1alpha1");
    assertThat(c.document().path("ipvs").path("scheduler").asText()).isEqualTo("lc");
    assertThat(set.componentConfigs()).containsExactly(c);
  }

  @Test
  void kubeProxyConfigurationInAListAndAcrossFiles(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: kubeproxy.config.k8s.io/v1alpha1
          kind: KubeProxyConfiguration
          mode: iptables
        """);
    ManifestSet one = ManifestReader.read(dir);
    assertThat(one.kubeProxyConfiguration()).isPresent();
    assertThat(one.objects()).isEmpty();
    Files.writeString(
        dir.resolve("b.yaml"),
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n");
    ManifestSet two = ManifestReader.read(dir);
    assertThatThrownBy(two::kubeProxyConfiguration)
        .hasMessageEndingWith(
            "b.yaml:1: a second KubeProxyConfiguration (the first is at "
                + dir.resolve("a.yaml")
                + ":4)");
  }

  @Test
  void otherComponentConfigsAreStillUnknownKinds() {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "k.yaml",
                    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"))
        .hasMessage(
            "k.yaml:1: no matches for kind \"KubeletConfiguration\" in version"
                + " \"kubelet.config.k8s.io/v1beta1\"");
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "k.yaml", "apiVersion: v1\nkind: KubeProxyConfiguration\nmode: ipvs\n"))
        .hasMessage("k.yaml:1: no matches for kind \"KubeProxyConfiguration\" in version \"v1\"");
  }

  private static String pod(String name) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n";
  }
}
