package dev.podpath.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.shell.lab.LabRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} lab command's kube-proxy options. */
class ClusterLabWorldTest {

  @TempDir Path dir;

  private String run(String lab) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        new LabRun(
                "t.lab",
                dir,
                new ClusterLabWorld(dir),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                LabRun.Format.TEXT)
            .run(lab);
    assertThat(code).as(out + "\n" + err).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void kubeProxysConfigurationFileDecidesItsModeAndProxyModeMustAgree() throws IOException {
    Files.writeString(
        dir.resolve("kp.yaml"),
        """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        clusterCIDR: 10.244.0.0/16
        """);
    String out =
        run(
            """
            cluster proxy-mode iptables kube-proxy-config kp.yaml
            expect error "disagrees with the kube-proxy-config's mode: ipvs"
            cluster kube-proxy-config kp.yaml
            expect output kube-proxy ipvs
            host worker
            ipvsadm -Ln
            expect output 10.96.0.1:443 rr
            """);
    assertThat(out).contains("all 3 expectations hold");
  }
}
