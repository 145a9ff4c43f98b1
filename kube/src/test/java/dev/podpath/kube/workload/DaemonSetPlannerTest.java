package dev.podpath.kube.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DaemonSetPlannerTest {

  private static final String NEW = "newhash";
  private static final String OLD = "oldhash";

  private static DaemonSet ds(String surge, String unavailable) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("agent")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(surge == null ? null : new IntOrString(surge))
        .withMaxUnavailable(unavailable == null ? null : new IntOrString(unavailable))
        .endRollingUpdate()
        .endUpdateStrategy()
        .endSpec()
        .build();
  }

  /** A pod: name, hash, ready, terminating. */
  private static Pod pod(String name, String node, String hash, boolean ready, boolean dying) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("controller-revision-hash", hash)
        .withCreationTimestamp("2026-01-01T00:00:0" + name.length() + "Z")
        .withDeletionTimestamp(dying ? "2026-01-01T00:01:00Z" : null)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  /** n nodes n1..nN, each with one ready old pod "old-i". */
  private static Map<String, List<Pod>> oldEverywhere(int n) {
    Map<String, List<Pod>> m = new LinkedHashMap<>();
    for (int i = 1; i <= n; i++) {
      m.put("n" + i, new ArrayList<>(List.of(pod("old-" + i, "n" + i, OLD, true, false))));
    }
    return m;
  }

  private static Set<String> nodes(int n) {
    Set<String> s = new TreeSet<>();
    for (int i = 1; i <= n; i++) {
      s.add("n" + i);
    }
    return s;
  }

  @Test
  void withoutSurgeOldPodsGoWithinMaxUnavailableRoundedUp() {
    // 5 nodes, maxUnavailable 30% of 5 = 1.5, rounded up to 2
    var plan = DaemonSetPlanner.plan(ds(null, "30%"), NEW, nodes(5), oldEverywhere(5));
    assertThat(plan.createOn()).isEmpty();
    assertThat(plan.delete()).containsExactly("old-1", "old-2");
  }

  @Test
  void aTerminatingPodBlocksItsNodeAndCountsAsUnavailable() {
    Map<String, List<Pod>> pods = oldEverywhere(3);
    pods.put("n1", List.of(pod("old-1", "n1", OLD, true, true)));
    // the manage step creates nothing on n1 while its old pod terminates
    var plan = DaemonSetPlanner.plan(ds(null, "1"), NEW, nodes(3), pods);
    assertThat(plan.isEmpty()).isTrue();
    // once it is gone, the manage step creates the new pod there
    pods.remove("n1");
    assertThat(DaemonSetPlanner.plan(ds(null, "1"), NEW, nodes(3), pods).createOn())
        .containsExactly("n1");
  }

  @Test
  void unavailableOldPodsAreReplacedBeyondTheBudget() {
    Map<String, List<Pod>> pods = oldEverywhere(3);
    pods.put("n3", List.of(pod("old-3", "n3", OLD, false, false)));
    var plan = DaemonSetPlanner.plan(ds(null, "1"), NEW, nodes(3), pods);
    // old-3 is not available: replaced and counted; the budget of 1 is then used up
    assertThat(plan.delete()).containsExactly("old-3");
  }

  @Test
  void withSurgeNewPodsStartBesideOldOnesUpToMaxSurge() {
    var plan = DaemonSetPlanner.plan(ds("1", "0"), NEW, nodes(3), oldEverywhere(3));
    assertThat(plan.createOn()).containsExactly("n1");
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void withSurgeAnOldPodGoesOnceTheNewOneIsAvailable() {
    Map<String, List<Pod>> pods = oldEverywhere(3);
    pods.get("n1").add(pod("new-1", "n1", NEW, false, false));
    // not yet ready: the manage step keeps both, the roll waits (surge used up)
    assertThat(DaemonSetPlanner.plan(ds("1", "0"), NEW, nodes(3), pods).isEmpty()).isTrue();
    pods.put("n1", List.of(pods.get("n1").get(0), pod("new-1", "n1", NEW, true, false)));
    // ready: the manage step deletes the old pod beside it
    assertThat(DaemonSetPlanner.plan(ds("1", "0"), NEW, nodes(3), pods).delete())
        .containsExactly("old-1");
  }

  @Test
  void bothZeroMeansMaxUnavailableOneAndExtraPodsArePrunedOldestKept() {
    Map<String, List<Pod>> pods = oldEverywhere(2);
    assertThat(DaemonSetPlanner.plan(ds("0", "0"), NEW, nodes(2), pods).delete())
        .containsExactly("old-1");
    pods.get("n2").add(pod("old-2b", "n2", OLD, true, false));
    assertThat(DaemonSetPlanner.plan(ds(null, "1"), NEW, nodes(2), pods).delete())
        .containsExactly("old-2b");
  }

  @Test
  void podsOnNodesThatShouldNotRunOneAreDeletedAndNewNodesGetOne() {
    var plan = DaemonSetPlanner.plan(ds(null, "1"), NEW, Set.of("n2", "n3"), oldEverywhere(2));
    assertThat(plan.delete()).containsExactly("old-1");
    assertThat(plan.createOn()).containsExactly("n3");
  }
}
