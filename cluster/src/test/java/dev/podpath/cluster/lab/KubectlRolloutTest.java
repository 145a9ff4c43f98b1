package dev.podpath.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.shell.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl rollout history|undo} and {@code get controllerrevisions}, with kubectl's text.
 */
class KubectlRolloutTest {

  private final ControlPlane cp = ControlPlane.start(ClusterShape.defaults());
  private final Kubectl kubectl = new Kubectl(cp, Path.of("."));

  private static String deployment(String image, String cause) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations: {kubernetes.io/change-cause: "%s"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: nginx
                image: "%s"
                ports: [{containerPort: 80}]
                env: [{name: MODE, value: prod}]
        """
        .formatted(cause, image);
  }

  private ToolResult run(String line) {
    return kubectl.run(List.of(line.split(" ")), Optional.empty());
  }

  private ToolResult apply(String yaml) {
    return kubectl.run(List.of("apply", "-f", "-"), Optional.of(yaml));
  }

  @Test
  void historyUndoAndTheRevisionsTemplate() {
    apply(deployment("nginx:1.27", "first"));
    apply(deployment("nginx:1.28", "second"));
    cp.advance(Duration.ofSeconds(1));
    assertThat(run("rollout history deployment/web").stdout())
        .isEqualTo(
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         second\n\n");
    assertThat(run("rollout undo deployment web").stdout())
        .isEqualTo("deployment.apps/web rolled back\n");
    cp.advance(Duration.ofSeconds(1));
    String hash =
        cp
            .list(
                io.fabric8.kubernetes.api.model.apps.ReplicaSet.class,
                "default",
                dev.podpath.kube.select.Selector.everything(),
                dev.podpath.kube.select.FieldSelector.everything())
            .stream()
            .filter(
                rs ->
                    rs.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage()
                        .equals("nginx:1.27"))
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getLabels()
            .get("pod-template-hash");
    assertThat(run("rollout history deployment/web --revision=3").stdout())
        .isEqualTo(
            """
            deployment.apps/web with revision #3
            Pod Template:
              Labels:\tapp=web
            \tpod-template-hash=%s
              Annotations:\tkubernetes.io/change-cause: first
              Containers:
               nginx:
                Image:\tnginx:1.27
                Port:\t80/TCP
                Host Port:\t0/TCP
                Environment:
                  MODE:\tprod
                Mounts:\t<none>
              Volumes:\t<none>
              Node-Selectors:\t<none>
              Tolerations:\t<none>

            """
                .formatted(hash));
    assertThat(run("rollout undo deployment/web --to-revision=3").stdout())
        .isEqualTo(
            "deployment.apps/web skipped rollback (current template already matches revision 3)\n");
    ToolResult missing = run("rollout undo deployment/web --to-revision=9");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr())
        .isEqualTo("error: unable to find specified revision 9 in history\n");
    assertThat(run("rollout undo deployment/nope").stderr())
        .isEqualTo("Error from server (NotFound): deployments.apps \"nope\" not found\n");
    assertThat(run("rollout history deployment/web --revision=x").stderr())
        .startsWith("error: invalid argument \"x\" for \"--revision\" flag");
  }

  @Test
  void controllerRevisionsOfADaemonSet() {
    apply(
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: a, image: "agent:1"}]}
        """);
    String table = run("get controllerrevisions").stdout();
    String name =
        cp.list(
                io.fabric8.kubernetes.api.model.apps.ControllerRevision.class,
                "default",
                dev.podpath.kube.select.Selector.everything(),
                dev.podpath.kube.select.FieldSelector.everything())
            .getFirst()
            .getMetadata()
            .getName();
    assertThat(table)
        .isEqualTo(
            "NAME"
                + " ".repeat(name.length() - 1)
                + "CONTROLLER             REVISION   AGE\n"
                + name
                + "   daemonset.apps/agent   1          0s\n");
    assertThat(run("rollout history daemonset/agent").stdout())
        .isEqualTo("daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n\n");
  }
}
