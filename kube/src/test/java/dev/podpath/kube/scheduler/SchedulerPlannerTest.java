package dev.podpath.kube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerPlannerTest {

  static Node node(String name, String zone, String cpu, String pods) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("topology.kubernetes.io/zone", zone)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity(cpu))
        .addToAllocatable("pods", new Quantity(pods))
        .endStatus()
        .build();
  }

  static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", "x")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .endContainer()
        .endSpec();
  }

  static Pod requesting(String name, String cpu) {
    return pod(name)
        .editSpec()
        .editFirstContainer()
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void podsWithoutRequestsSpreadByTheSchedulersDefaultRequests() {
    List<Node> nodes = List.of(node("a", "z1", "4", "110"), node("b", "z2", "4", "110"));
    List<Pod> assigned = new ArrayList<>();
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Pod p = pod("p" + i).build();
      String n = ((Placement.Bound) SchedulerPlanner.place(p, nodes, assigned)).node();
      placed.add(n);
      assigned.add(new PodBuilder(p).editSpec().withNodeName(n).endSpec().build());
    }
    assertThat(placed).containsExactly("a", "b", "a", "b");
  }

  @Test
  void requiredNodeAffinityOperators() {
    List<Node> nodes = List.of(node("a", "z1", "4", "110"), node("b", "z2", "4", "110"));
    Pod p =
        pod("p")
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("topology.kubernetes.io/zone")
            .withOperator("NotIn")
            .withValues("z1")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    assertThat(SchedulerPlanner.place(p, nodes, List.of())).isEqualTo(new Placement.Bound("b"));
  }

  @Test
  void tolerationsLetPodsOnTaintedNodes() {
    Node tainted =
        new NodeBuilder(node("a", "z1", "4", "110"))
            .editSpec()
            .addNewTaint()
            .withKey("dedicated")
            .withValue("db")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .build();
    Pod plain = pod("p").build();
    assertThat(SchedulerPlanner.place(plain, List.of(tainted), List.of()))
        .isInstanceOf(Placement.Unschedulable.class);
    Pod tolerant =
        pod("q")
            .editSpec()
            .addNewToleration()
            .withKey("dedicated")
            .withOperator("Equal")
            .withValue("db")
            .withEffect("NoSchedule")
            .endToleration()
            .endSpec()
            .build();
    assertThat(SchedulerPlanner.place(tolerant, List.of(tainted), List.of()))
        .isEqualTo(new Placement.Bound("a"));
    Pod everything =
        pod("r")
            .editSpec()
            .addNewToleration()
            .withOperator("Exists")
            .endToleration()
            .endSpec()
            .build();
    assertThat(SchedulerPlanner.place(everything, List.of(tainted), List.of()))
        .isEqualTo(new Placement.Bound("a"));
  }

  @Test
  void resourcesAndPodCountAreReasons() {
    Node small = node("a", "z1", "1", "1");
    Pod big = requesting("big", "2");
    assertThat(
            ((Placement.Unschedulable) SchedulerPlanner.place(big, List.of(small), List.of()))
                .message())
        .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
    Pod there = new PodBuilder(pod("x").build()).editSpec().withNodeName("a").endSpec().build();
    assertThat(
            ((Placement.Unschedulable)
                    SchedulerPlanner.place(pod("y").build(), List.of(small), List.of(there)))
                .message())
        .startsWith("0/1 nodes are available: 1 Too many pods.");
    assertThat(SchedulerPlanner.place(pod("z").build(), List.of(), List.of()))
        .isEqualTo(new Placement.Unschedulable("no nodes available to schedule pods"));
  }
}
