package dev.podpath.kube.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.shape.ClusterShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kubectl get} as both front ends run it: selection, not-found and empty messages. */
class KubectlGetTest {

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());

  KubectlGetTest() {
    cp.apply(
        ManifestReader.parse(
            "web.yaml",
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop, labels: {app: web}}
            """));
  }

  private KubectlGet.Result get(
      String types, List<String> names, String namespace, boolean all, String labels, String out) {
    return KubectlGet.get(
        cp.store(),
        cp.clock().now(),
        new KubectlGet.Request(
            KubectlGet.kinds(types),
            names,
            namespace,
            all,
            LabelSelectors.parse(labels),
            FieldSelector.everything(),
            OutputFormat.parse(out)));
  }

  @Test
  void namesOfSeveralKindsAreQualifiedAndSelectedByLabel() {
    var r = get("services,configmaps", List.of(), "shop", false, "", "name");
    assertThat(r.out()).isEqualTo("service/web\nconfigmap/settings\n");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(get("svc,cm", List.of(), "shop", false, "app=web", "name").out())
        .isEqualTo("configmap/settings\n");
  }

  @Test
  void tablesOfSeveralKindsAreSeparatedByABlankLine() {
    String out = get("svc,cm", List.of(), "shop", false, "", "").out();
    assertThat(out).contains("service/web ").contains("configmap/settings ");
    assertThat(out.split("\n\n")).hasSize(2);
  }

  @Test
  void aMissingNameIsNotFoundAndFailsWhileTheOthersPrint() {
    var r = get("services", List.of("web", "api"), "shop", false, "", "name");
    assertThat(r.out()).isEqualTo("service/web\n");
    assertThat(r.err()).isEqualTo("Error from server (NotFound): services \"api\" not found\n");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(get("deploy", List.of("web"), "shop", false, "", "").err())
        .isEqualTo("Error from server (NotFound): deployments.apps \"web\" not found\n");
  }

  @Test
  void nothingFoundNamesTheNamespaceUnlessAllNamespacesOrClusterScoped() {
    assertThat(get("pods", List.of(), "shop", false, "", "").err())
        .isEqualTo("No resources found in shop namespace.\n");
    assertThat(get("pods", List.of(), "shop", true, "", "").err())
        .isEqualTo("No resources found\n");
    assertThat(get("nodes", List.of(), "shop", false, "nope=1", "").err())
        .isEqualTo("No resources found\n");
    assertThat(get("nodes,pods", List.of(), "shop", false, "nope=1", "").err())
        .isEqualTo("No resources found in shop namespace.\n");
  }

  @Test
  void anUnknownTypeIsTheServersError() {
    assertThat(KubectlGet.kinds("po,svc")).containsExactly(Kind.POD, Kind.SERVICE);
    assertThatThrownBy(() -> KubectlGet.kinds("pods,widgets"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the server doesn't have a resource type \"widgets\"");
  }
}
