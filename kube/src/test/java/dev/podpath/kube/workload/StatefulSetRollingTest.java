package dev.podpath.kube.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatefulSetRollingTest {

  private static StatefulSet set(String maxUnavailable) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("db")
        .endMetadata()
        .withNewSpec()
        .withReplicas(5)
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(maxUnavailable == null ? null : new IntOrString(maxUnavailable))
        .endRollingUpdate()
        .endUpdateStrategy()
        .endSpec()
        .build();
  }

  private static Pod pod(int i, String revision, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("db-" + i)
        .addToLabels("controller-revision-hash", revision)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Map<Integer, Pod> all(String revision) {
    Map<Integer, Pod> m = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      m.put(i, pod(i, revision, true));
    }
    return m;
  }

  @Test
  void withoutMaxUnavailableOnePodAtATimeFromTheTop() {
    assertThat(StatefulSetController.rollingDeletes(set(null), all("db-old"), "db-new", 5, 0))
        .containsExactly(4);
  }

  @Test
  void maxUnavailableDeletesSeveralFromTheTopDownToThePartition() {
    assertThat(StatefulSetController.rollingDeletes(set("2"), all("db-old"), "db-new", 5, 0))
        .containsExactly(4, 3);
    // 50% of 5 = 2.5, rounded down to 2; partition 4 keeps ordinals below 4
    assertThat(StatefulSetController.rollingDeletes(set("50%"), all("db-old"), "db-new", 5, 4))
        .containsExactly(4);
    // 10% of 5 rounds down to 0, which means 1
    assertThat(StatefulSetController.rollingDeletes(set("10%"), all("db-old"), "db-new", 5, 0))
        .containsExactly(4);
  }

  @Test
  void unavailablePodsUseTheBudgetAndUpdatedOnesAreSkipped() {
    Map<Integer, Pod> pods = all("db-old");
    pods.put(4, pod(4, "db-new", true));
    pods.put(0, pod(0, "db-old", false));
    // budget 3, one unavailable (db-0): two deletions, 3 and 2 (4 is already updated)
    assertThat(StatefulSetController.rollingDeletes(set("3"), pods, "db-new", 5, 0))
        .containsExactly(3, 2);
    pods.remove(1); // a missing ordinal counts as unavailable too
    assertThat(StatefulSetController.rollingDeletes(set("3"), pods, "db-new", 5, 0))
        .containsExactly(3);
  }
}
