package dev.podpath.kube.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.shape.ClusterShape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DaemonSet and StatefulSet rolling-update parameters, with the API server's messages. */
class RollingUpdateValidationTest {

  private static final String PATH = "spec.updateStrategy.rollingUpdate.";

  private static HasMetadata daemonSet(String rollingUpdate) {
    return daemonSet("RollingUpdate", rollingUpdate);
  }

  private static HasMetadata daemonSet(String type, String rollingUpdate) {
    return ManifestReader.parse(
            "ds.yaml",
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              updateStrategy: {type: %s, rollingUpdate: %s}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  containers: [{name: a, image: agent}]
            """
                .formatted(type, rollingUpdate))
        .objects()
        .getFirst()
        .object();
  }

  private static HasMetadata statefulSet(String rollingUpdate) {
    return ManifestReader.parse(
            "db.yaml",
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              replicas: 3
              updateStrategy: {type: RollingUpdate, rollingUpdate: %s}
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers: [{name: pg, image: pg}]
            """
                .formatted(rollingUpdate))
        .objects()
        .getFirst()
        .object();
  }

  private static List<String> messages(HasMetadata object) {
    return Validator.validate(object).stream().map(FieldError::toString).toList();
  }

  @ParameterizedTest(name = "DaemonSet rollingUpdate {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{}|",
        "{maxUnavailable: 1}|",
        "{maxUnavailable: 30%}|",
        "{maxUnavailable: 100%}|",
        "{maxSurge: 1, maxUnavailable: 0}|",
        "{maxSurge: 25%, maxUnavailable: 0%}|",
        "{maxSurge: 1}|maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
        "{maxSurge: 10%, maxUnavailable: 2}|"
            + "maxSurge: Invalid value: 10%: may not be set when maxUnavailable is non-zero",
        "{maxUnavailable: 0}|maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
        "{maxSurge: 0%, maxUnavailable: 0%}|"
            + "maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
        "{maxUnavailable: 110%}|maxUnavailable: Invalid value: 110%: must not be greater than 100%",
        "{maxSurge: 200%, maxUnavailable: 0}|"
            + "maxSurge: Invalid value: 200%: must not be greater than 100%",
        "{maxUnavailable: -1}|"
            + "maxUnavailable: Invalid value: -1: must be greater than or equal to 0",
        "{maxSurge: -2, maxUnavailable: 0}|"
            + "maxSurge: Invalid value: -2: must be greater than or equal to 0",
        "{maxUnavailable: '-5%'}|maxUnavailable: Invalid value: -5%: a valid percent string must be"
            + " a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for"
            + " validation is '[0-9]+%') / maxUnavailable: Required value: cannot be 0 when"
            + " maxSurge is 0",
      })
  void daemonSetNeedsExactlyOneOfMaxUnavailableAndMaxSurge(String rollingUpdate, String expected) {
    assertThat(messages(daemonSet(rollingUpdate))).containsExactlyElementsOf(expect(expected));
  }

  @ParameterizedTest(name = "StatefulSet rollingUpdate {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{}|",
        "{partition: 0}|",
        "{maxUnavailable: 1}|",
        "{maxUnavailable: 2, partition: 1}|",
        "{maxUnavailable: 1%}|",
        "{maxUnavailable: 100%}|",
        "{maxUnavailable: 0}|maxUnavailable: Invalid value: 0: cannot be 0",
        "{maxUnavailable: 0%}|maxUnavailable: Invalid value: 0%: cannot be 0",
        "{maxUnavailable: 101%}|maxUnavailable: Invalid value: 101%: must not be greater than 100%",
        "{maxUnavailable: -1}|"
            + "maxUnavailable: Invalid value: -1: must be greater than or equal to 0",
        "{partition: -1}|partition: Invalid value: -1: must be greater than or equal to 0",
        "{maxUnavailable: half}|maxUnavailable: Invalid value: half: a valid percent string must be"
            + " a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for"
            + " validation is '[0-9]+%') / maxUnavailable: Invalid value: half: cannot be 0",
      })
  void statefulSetMaxUnavailableIsAtLeastOneOrAPercentageAboveZero(
      String rollingUpdate, String expected) {
    assertThat(messages(statefulSet(rollingUpdate))).containsExactlyElementsOf(expect(expected));
  }

  private static List<String> expect(String expected) {
    if (expected == null) {
      return List.of();
    }
    return Arrays.stream(expected.split(" / ")).map(m -> PATH + m).toList();
  }

  @Test
  void onDeleteLeavesTheRollingUpdateParametersUnchecked() {
    assertThat(messages(daemonSet("OnDelete", "{maxSurge: 1, maxUnavailable: 1}"))).isEmpty();
    assertThat(messages(daemonSet("RollingUpdate", "{maxSurge: 1, maxUnavailable: 1}"))).hasSize(1);
  }

  @Test
  void applyNamesFileAndLineAndChangesNothing() {
    ControlPlane cp = ControlPlane.start(ClusterShape.defaults());
    long rv = cp.store().resourceVersion();
    String yaml =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: unrelated}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: a, image: agent}]
        """;
    assertThatThrownBy(() -> cp.apply(ManifestReader.parse("agent.yaml", yaml)))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "agent.yaml:5: The DaemonSet \"agent\" is invalid:"
                + " spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1:"
                + " may not be set when maxUnavailable is non-zero");
    assertThat(cp.store().resourceVersion()).isEqualTo(rv);
  }
}
