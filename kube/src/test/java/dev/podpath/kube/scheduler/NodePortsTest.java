package dev.podpath.kube.scheduler;

import static dev.podpath.kube.scheduler.Fixture.node;
import static dev.podpath.kube.scheduler.Fixture.place;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.io.Json;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NodePorts filter: host ports taken on a node, as upstream's HostPortInfo decides. */
class NodePortsTest {

  private static final String NO_PORTS =
      "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
          + " preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

  /**
   * A pod whose one container has the {@code ports} (YAML flow list); {@code extra} is more of its
   * spec (e.g. {@code nodeName: a}, init containers).
   */
  static Pod pod(String name, String ports, String extra) {
    String yaml =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: "
            + name
            + ", namespace: default}\nspec: {containers: [{name: c, image: x, ports: "
            + ports
            + "}]"
            + (extra.isEmpty() ? "" : ", " + extra)
            + "}\n";
    try {
      return Json.YAML.readValue(yaml, Pod.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(yaml, e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          same port, both on all addresses   | [{containerPort: 80, hostPort: 80}]                                 | [{containerPort: 80, hostPort: 80}]                  | false
          another protocol                   | [{containerPort: 80, hostPort: 80}]                                 | [{containerPort: 80, hostPort: 80, protocol: UDP}]   | true
          empty protocol is TCP              | [{containerPort: 80, hostPort: 80}]                                 | [{containerPort: 80, hostPort: 80, protocol: TCP}]   | false
          another port                       | [{containerPort: 80, hostPort: 80}]                                 | [{containerPort: 80, hostPort: 8080}]                | true
          container ports only               | [{containerPort: 80}]                                               | [{containerPort: 80}]                                | true
          two specific addresses             | [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}]              | [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.2}] | true
          same specific address              | [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}]              | [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}] | false
          wanted 0.0.0.0 against any address | [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}]              | [{containerPort: 80, hostPort: 80}]                  | false
          used 0.0.0.0 against an address    | [{containerPort: 80, hostPort: 80, hostIP: 0.0.0.0}]                | [{containerPort: 80, hostPort: 80, hostIP: 10.0.0.1}] | false
          :: is not bind-all for the check   | [{containerPort: 80, hostPort: 80, hostIP: 10.0.0.1}]               | [{containerPort: 80, hostPort: 80, hostIP: '::'}]    | true
          one of several ports taken         | [{containerPort: 53, hostPort: 53, protocol: UDP}]                  | [{containerPort: 80, hostPort: 80}, {containerPort: 53, hostPort: 53, protocol: UDP}] | false
          """)
  void hostPortConflicts(String name, String used, String wanted, boolean fits) {
    Pod there = pod("there", used, "nodeName: a");
    Pod incoming = pod("incoming", wanted, "");
    assertThat(place(incoming, ClusterSnapshot.of(List.of(node("a", null)), List.of(there))))
        .isEqualTo(fits ? "a" : NO_PORTS);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a sidecar's port is in use           | initContainers: [{name: s, image: x, restartPolicy: Always, ports: [{containerPort: 80, hostPort: 80}]}] | false
          a plain init container's port is not | initContainers: [{name: s, image: x, ports: [{containerPort: 80, hostPort: 80}]}]                        | true
          """)
  void initContainersHoldPortsOnlyAsSidecars(String name, String initContainers, boolean fits) {
    Pod there = pod("there", "[]", "nodeName: a, " + initContainers);
    Pod incoming = pod("incoming", "[{containerPort: 80, hostPort: 80}]", "");
    assertThat(place(incoming, ClusterSnapshot.of(List.of(node("a", null)), List.of(there))))
        .isEqualTo(fits ? "a" : NO_PORTS);
  }

  @Test
  void aFinishedPodsPortIsFree() {
    Pod there = pod("there", "[{containerPort: 80, hostPort: 80}]", "nodeName: a");
    there.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
    Pod incoming = pod("incoming", "[{containerPort: 80, hostPort: 80}]", "");
    assertThat(place(incoming, ClusterSnapshot.of(List.of(node("a", null)), List.of(there))))
        .isEqualTo("a");
  }

  @Test
  void theIncomingPodsSidecarPortsCountToo() {
    Pod there = pod("there", "[{containerPort: 80, hostPort: 80}]", "nodeName: a");
    Pod incoming =
        pod(
            "incoming",
            "[]",
            "initContainers: [{name: s, image: x, restartPolicy: Always,"
                + " ports: [{containerPort: 80, hostPort: 80}]}]");
    assertThat(place(incoming, ClusterSnapshot.of(List.of(node("a", null)), List.of(there))))
        .isEqualTo(NO_PORTS);
  }

  @Test
  void aPodGoesToTheNodeWhereItsPortIsFree() {
    Pod there = pod("there", "[{containerPort: 80, hostPort: 80}]", "nodeName: a");
    Pod incoming = pod("incoming", "[{containerPort: 80, hostPort: 80}]", "");
    assertThat(
            place(
                incoming,
                ClusterSnapshot.of(List.of(node("a", null), node("b", null)), List.of(there))))
        .isEqualTo("b");
  }

  @Test
  void itComesAfterNodeAffinityAndTaintsAndBeforeResources() {
    Pod there = pod("there", "[{containerPort: 80, hostPort: 80}]", "nodeName: a");
    Pod big =
        pod("big", "[{containerPort: 80, hostPort: 80}], resources: {requests: {cpu: '8'}}", "");
    // a node too small for the pod whose port is taken: NodePorts runs before NodeResourcesFit
    assertThat(place(big, ClusterSnapshot.of(List.of(node("a", null)), List.of(there))))
        .isEqualTo(NO_PORTS);
    assertThat(place(big, ClusterSnapshot.of(List.of(node("a", null)), List.of())))
        .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
    // a tainted node whose port is taken: TaintToleration runs first
    Node tainted =
        new NodeBuilder(node("a", null))
            .editSpec()
            .addToTaints(new Taint("NoSchedule", "k", null, "v"))
            .endSpec()
            .build();
    Pod small = pod("small", "[{containerPort: 80, hostPort: 80}]", "");
    assertThat(place(small, ClusterSnapshot.of(List.of(tainted), List.of(there))))
        .startsWith("0/1 nodes are available: 1 node(s) had untolerated taint {k: v}.");
  }
}
