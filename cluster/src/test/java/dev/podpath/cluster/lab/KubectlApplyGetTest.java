package dev.podpath.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.shell.ToolResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's {@code kubectl apply -f} of documents the API server has no resource for, and {@code
 * kubectl get --field-selector}, with kubectl's text and exit status.
 */
class KubectlApplyGetTest {

  @TempDir Path dir;

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());

  private ToolResult run(String line, Optional<String> stdin) {
    return new Kubectl(cp, dir).run(List.of(line.split(" ")), stdin);
  }

  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {a: b}
      """;

  private static final String KUBE_PROXY_CONFIG =
      """
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: ipvs
      """;

  private static final String CLUSTER =
      """
      apiVersion: podpath.dev/v1alpha1
      kind: Cluster
      metadata: {name: lab}
      """;

  @Test
  void aKubeProxyConfigurationIsAMappingErrorWhileTheFilesOtherObjectsAreApplied()
      throws Exception {
    Files.createDirectories(dir.resolve("m"));
    Files.writeString(dir.resolve("m/all.yaml"), CONFIG_MAP + "---\n" + KUBE_PROXY_CONFIG);
    ToolResult r = run("apply -f m/all.yaml", Optional.empty());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("configmap/settings created\n");
    assertThat(r.stderr())
        .isEqualTo(
            "error: resource mapping not found for name: \"\" namespace: \"\" from"
                + " \"m/all.yaml\": no matches for kind \"KubeProxyConfiguration\" in version"
                + " \"kubeproxy.config.k8s.io/v1alpha1\"\n"
                + "ensure CRDs are installed first\n");
    assertThat(cp.store().list(ConfigMap.class, "default")).hasSize(1);
  }

  @Test
  void severalMappingErrorsAreListedWithoutThePrefixInReadingOrder() {
    ToolResult r = run("apply -f -", Optional.of(KUBE_PROXY_CONFIG + "---\n" + CLUSTER));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            """
            resource mapping not found for name: "" namespace: "" from "STDIN": \
            no matches for kind "KubeProxyConfiguration" in version \
            "kubeproxy.config.k8s.io/v1alpha1"
            ensure CRDs are installed first
            resource mapping not found for name: "lab" namespace: "" from "STDIN": \
            no matches for kind "Cluster" in version "podpath.dev/v1alpha1"
            ensure CRDs are installed first
            """);
  }

  @Test
  void anUnknownKindIsAMappingErrorTooAndTheRestIsApplied() {
    ToolResult r =
        run(
            "apply -f -",
            Optional.of(
                CONFIG_MAP
                    + "---\napiVersion: example.com/v1\nkind: Widget\n"
                    + "metadata: {name: w, namespace: team}\n"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("configmap/settings created\n");
    assertThat(r.stderr())
        .isEqualTo(
            "error: resource mapping not found for name: \"w\" namespace: \"team\" from"
                + " \"STDIN\": no matches for kind \"Widget\" in version \"example.com/v1\"\n"
                + "ensure CRDs are installed first\n");
  }

  @Test
  void deleteReportsTheMappingErrorsAndDeletesTheObjectsItCouldMap() throws Exception {
    Files.writeString(
        dir.resolve("all.yaml"),
        CLUSTER
            + "---\n"
            + CONFIG_MAP
            + "---\n"
            + KUBE_PROXY_CONFIG
            + "---\napiVersion: example.com/v1\nkind: Widget\n"
            + "metadata: {name: w, namespace: team}\n");
    assertThat(run("apply -f all.yaml", Optional.empty()).stdout())
        .isEqualTo("configmap/settings created\n");
    ToolResult r = run("delete -f all.yaml", Optional.empty());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("configmap \"settings\" deleted\n");
    assertThat(r.stderr())
        .isEqualTo(
            """
            resource mapping not found for name: "lab" namespace: "" from "all.yaml": \
            no matches for kind "Cluster" in version "podpath.dev/v1alpha1"
            ensure CRDs are installed first
            resource mapping not found for name: "" namespace: "" from "all.yaml": \
            no matches for kind "KubeProxyConfiguration" in version \
            "kubeproxy.config.k8s.io/v1alpha1"
            ensure CRDs are installed first
            resource mapping not found for name: "w" namespace: "team" from "all.yaml": \
            no matches for kind "Widget" in version "example.com/v1"
            ensure CRDs are installed first
            """);
    assertThat(cp.store().list(ConfigMap.class, "default")).isEmpty();
  }

  @Test
  void deleteOfOnlyAnUnmappedDocumentIsOneErrorWithThePrefix() {
    ToolResult r = run("delete -f -", Optional.of(KUBE_PROXY_CONFIG));
    assertThat(r)
        .isEqualTo(
            new ToolResult(
                1,
                "",
                "error: resource mapping not found for name: \"\" namespace: \"\" from"
                    + " \"STDIN\": no matches for kind \"KubeProxyConfiguration\" in version"
                    + " \"kubeproxy.config.k8s.io/v1alpha1\"\n"
                    + "ensure CRDs are installed first\n"));
  }

  @Test
  void deleteOfMappedObjectsAloneSucceeds() {
    run("apply -f -", Optional.of(CONFIG_MAP));
    assertThat(run("delete -f -", Optional.of(CONFIG_MAP)))
        .isEqualTo(new ToolResult(0, "configmap \"settings\" deleted\n", ""));
  }

  @Test
  void aDocumentThatCannotBeDecodedStillRefusesTheWholeInvocationAtItsLine() {
    ToolResult r =
        run(
            "apply -f -",
            Optional.of(CONFIG_MAP + "---\napiVersion: v1\nkind: Service\nspec: {ports: 7}\n"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("error: -:6: cannot decode Service");
    assertThat(cp.store().list(ConfigMap.class, "default")).isEmpty();
  }

  @Test
  void fieldSelectorSelectsByNameAndRefusesAFieldTheKindCannotBeSelectedBy() {
    run(
        "apply -f -",
        Optional.of(CONFIG_MAP + "---\n" + CONFIG_MAP.replace("name: settings", "name: other")));
    ToolResult r =
        run("get configmaps --field-selector metadata.name!=settings -o name", Optional.empty());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("configmap/other\n");
    r =
        run(
            "get configmaps --field-selector=metadata.name=settings,metadata.namespace=default -o name",
            Optional.empty());
    assertThat(r.stdout()).isEqualTo("configmap/settings\n");
    r = run("get pods -l app=web --field-selector spec.foo=x", Optional.empty());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label"
                + " selector \"app=web\", field selector \"spec.foo=x\": field label not supported:"
                + " spec.foo\n");
    r = run("get deployments --field-selector status.phase=Running", Optional.empty());
    assertThat(r.stderr())
        .startsWith(
            "Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\"")
        .endsWith("field label not supported: status.phase\n");
    r = run("get pods --field-selector spec.nodeName", Optional.empty());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("error: invalid selector");
  }
}
