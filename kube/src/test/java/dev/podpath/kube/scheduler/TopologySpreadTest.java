package dev.podpath.kube.scheduler;

import static dev.podpath.kube.scheduler.Fixture.all;
import static dev.podpath.kube.scheduler.Fixture.node;
import static dev.podpath.kube.scheduler.Fixture.on;
import static dev.podpath.kube.scheduler.Fixture.place;
import static dev.podpath.kube.scheduler.Fixture.pod;
import static dev.podpath.kube.scheduler.Fixture.threeNodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PodTopologySpread as kube-scheduler applies it, one case per row: nodes, pods already placed, the
 * incoming pod, and where it goes (a node name) or the FailedScheduling message. Nodes a and b are
 * in zone z1, c in z2 unless a row says otherwise; every node has 4 cpus.
 */
class TopologySpreadTest {

  static final String WEB = "labels: {app: web}";
  static final String ZONE = "topology.kubernetes.io/zone";

  static String spread(String extra) {
    return "topologySpreadConstraints: [{maxSkew: 1, topologyKey: "
        + ZONE
        + ", labelSelector: {matchLabels: {app: web}}"
        + (extra.contains("whenUnsatisfiable") ? "" : ", whenUnsatisfiable: DoNotSchedule")
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}]";
  }

  record Case(String name, List<Node> nodes, List<Pod> placed, Pod pod, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String NO_VICTIMS = " No preemption victims found for incoming pod";
  static final String NOT_HELPFUL = " Preemption is not helpful for scheduling";

  static Stream<Case> cases() {
    List<Pod> oneEach = all(on("a", 1, "web", WEB), on("b", 1, "web", WEB), on("c", 1, "web", WEB));
    List<Node> affinityNodes =
        List.of(
            node("a", "z1", "disk=ssd"), node("b", "z2", "disk=ssd"), node("c", "z3", "disk=hdd"));
    Node tainted =
        new io.fabric8.kubernetes.api.model.NodeBuilder(node("c", "z3"))
            .editSpec()
            .addNewTaint()
            .withKey("dedicated")
            .withValue("db")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .build();
    List<Node> taintNodes = List.of(node("a", "z1"), node("b", "z2"), tainted);
    List<Pod> webOnAandB = all(on("a", 1, "web", WEB), on("b", 1, "web", WEB));
    return Stream.of(
        new Case(
            "only the zone with fewer matching pods keeps the skew within maxSkew",
            threeNodes(),
            oneEach,
            pod("new", WEB, spread("")),
            "c"),
        new Case(
            "fewer domains than minDomains make the global minimum 0",
            threeNodes(),
            oneEach,
            pod("new", WEB, spread("minDomains: 3")),
            "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints."
                + " preemption: 0/3 nodes are available: 3"
                + NO_VICTIMS
                + "."),
        new Case(
            "a node without the topology key fails as unresolvable",
            List.of(node("a", "z1"), node("b", "z2"), node("d", null)),
            webOnAandB,
            pod("new", WEB, spread("minDomains: 3")),
            "0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints"
                + " (missing required label), 2 node(s) didn't match pod topology spread"
                + " constraints. preemption: 0/3 nodes are available: 1"
                + NOT_HELPFUL
                + ", 2"
                + NO_VICTIMS
                + "."),
        new Case(
            "a pod its own selector does not match adds nothing to the skew",
            threeNodes(),
            on("a", 1, "web", WEB),
            pod("new", "labels: {app: other}", spread("")),
            "b"),
        new Case(
            "a pod its own selector matches adds one",
            threeNodes(),
            on("a", 1, "web", WEB),
            pod("new", WEB, spread("")),
            "c"),
        new Case(
            "pods of other namespaces, terminating pods and other labels are not counted",
            threeNodes(),
            all(
                on("a", 1, "web", WEB),
                on("c", 2, "web", "namespace: other, labels: {app: web}"),
                on("c", 1, "old", "labels: {app: web}, deletionTimestamp: '2026-01-01T00:00:00Z'"),
                on("c", 1, "db", "labels: {app: db}")),
            pod("new", WEB, spread("")),
            "c"),
        new Case(
            "nodeAffinityPolicy Honor (the default) leaves out nodes the pod cannot run on",
            affinityNodes,
            webOnAandB,
            pod("new", WEB, "nodeSelector: {disk: ssd}, " + spread("")),
            "a"),
        new Case(
            "nodeAffinityPolicy Ignore counts their empty domain",
            affinityNodes,
            webOnAandB,
            pod("new", WEB, "nodeSelector: {disk: ssd}, " + spread("nodeAffinityPolicy: Ignore")),
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2"
                + " node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes"
                + " are available: 1"
                + NOT_HELPFUL
                + ", 2"
                + NO_VICTIMS
                + "."),
        new Case(
            "nodeTaintsPolicy Ignore (the default) counts a tainted node's domain",
            taintNodes,
            webOnAandB,
            pod("new", WEB, spread("")),
            "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 node(s)"
                + " didn't match pod topology spread constraints. preemption: 0/3 nodes are"
                + " available: 1"
                + NOT_HELPFUL
                + ", 2"
                + NO_VICTIMS
                + "."),
        new Case(
            "nodeTaintsPolicy Honor leaves it out",
            taintNodes,
            webOnAandB,
            pod("new", WEB, spread("nodeTaintsPolicy: Honor")),
            "a"),
        new Case(
            "without matchLabelKeys the old revision's pods count",
            threeNodes(),
            all(
                on("a", 1, "old", "labels: {app: web, pod-template-hash: v1}"),
                on("b", 1, "old", "labels: {app: web, pod-template-hash: v1}"),
                on("c", 1, "new", "labels: {app: web, pod-template-hash: v2}")),
            pod("new", "labels: {app: web, pod-template-hash: v2}", spread("")),
            "c"),
        new Case(
            "matchLabelKeys pod-template-hash spreads each revision on its own",
            threeNodes(),
            all(
                on("a", 1, "old", "labels: {app: web, pod-template-hash: v1}"),
                on("b", 1, "old", "labels: {app: web, pod-template-hash: v1}"),
                on("c", 1, "new", "labels: {app: web, pod-template-hash: v2}")),
            pod(
                "new",
                "labels: {app: web, pod-template-hash: v2}",
                spread("matchLabelKeys: [pod-template-hash]")),
            "a"),
        new Case(
            "without a constraint the least allocated node wins (first by name on a tie)",
            threeNodes(),
            oneEach,
            pod("new", WEB, ""),
            "a"),
        new Case(
            "ScheduleAnyway does not filter but scores the emptier zone higher",
            threeNodes(),
            oneEach,
            pod("new", WEB, spread("whenUnsatisfiable: ScheduleAnyway")),
            "c"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void placesAsKubeScheduler(Case c) {
    assertThat(place(c.pod(), ClusterSnapshot.of(c.nodes(), c.placed()))).isEqualTo(c.expected());
  }

  // ---- the default cluster-level spreading (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway)

  static final String OWNED =
      "labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1,"
          + " uid: rs-uid, controller: true}]";

  @org.junit.jupiter.api.Test
  void podsOfAReplicaSetAreSpreadOverZonesByDefault() {
    ClusterSnapshot s =
        new ClusterSnapshot(
            threeNodes(),
            on("a", 1, "web", OWNED),
            Map.of(),
            List.of(),
            List.of(Fixture.replicaSet("web-1", "{matchLabels: {app: web}}")),
            List.of());
    // zone z1 already has one of its pods: c (z2) scores highest although b is as empty
    assertThat(place(pod("new", OWNED, ""), s)).isEqualTo("c");
  }

  @org.junit.jupiter.api.Test
  void aServiceSelectingThePodAlsoMakesTheDefaultSelector() {
    var svc =
        new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addToSelector("app", "web")
            .endSpec()
            .build();
    ClusterSnapshot s =
        new ClusterSnapshot(
            threeNodes(), on("a", 1, "web", WEB), Map.of(), List.of(svc), List.of(), List.of());
    assertThat(place(pod("new", WEB, ""), s)).isEqualTo("c");
  }

  @org.junit.jupiter.api.Test
  void withoutServiceOrOwnerThereIsNoDefaultSpreading() {
    ClusterSnapshot s = ClusterSnapshot.of(threeNodes(), on("a", 1, "web", WEB));
    assertThat(place(pod("new", WEB, ""), s)).isEqualTo("b");
    assertThat(TopologySpread.constraints(pod("new", WEB, ""), "ScheduleAnyway", s)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void defaultConstraintsAreHostnameThreeAndZoneFive() {
    ClusterSnapshot s =
        new ClusterSnapshot(
            threeNodes(),
            List.of(),
            Map.of(),
            List.of(),
            List.of(Fixture.replicaSet("web-1", "{matchLabels: {app: web}}")),
            List.of());
    assertThat(TopologySpread.constraints(pod("new", OWNED, ""), "ScheduleAnyway", s))
        .extracting(c -> c.topologyKey() + " " + c.maxSkew() + " " + c.selector())
        .containsExactly("kubernetes.io/hostname 3 app=web", ZONE + " 5 app=web");
    assertThat(TopologySpread.constraints(pod("new", OWNED, ""), "DoNotSchedule", s)).isEmpty();
  }
}
