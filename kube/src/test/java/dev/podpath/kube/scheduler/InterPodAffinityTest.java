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
 * InterPodAffinity (and the node-local preferences) as kube-scheduler applies them, one case per
 * row. Nodes a and b are in zone z1, c in z2; namespace {@code other} is labelled {@code team=x}.
 */
class InterPodAffinityTest {

  static final String WEB = "labels: {app: web}";
  static final String DB = "labels: {app: db}";
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";

  static String required(String kind, String app, String key, String extra) {
    return "affinity: {"
        + kind
        + ": {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels:"
        + " {app: "
        + app
        + "}}, topologyKey: "
        + key
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}]}}";
  }

  static String preferred(String kind, String app, String key, int weight) {
    return "affinity: {"
        + kind
        + ": {preferredDuringSchedulingIgnoredDuringExecution: [{weight: "
        + weight
        + ", podAffinityTerm: {labelSelector: {matchLabels: {app: "
        + app
        + "}}, topologyKey: "
        + key
        + "}}]}}";
  }

  record Case(String name, List<Node> nodes, List<Pod> placed, Pod pod, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    List<Pod> webEverywhere =
        all(on("a", 1, "web", WEB), on("b", 1, "web", WEB), on("c", 1, "web", WEB));
    List<Pod> webInTwoNamespaces =
        all(
            on("a", 1, "web", WEB),
            on("b", 1, "web", WEB),
            on("c", 1, "web", "namespace: other, labels: {app: web}"));
    return Stream.of(
        new Case(
            "required affinity: only the zone of a matching pod",
            threeNodes(),
            on("a", 1, "db", DB),
            pod("new", WEB, required("podAffinity", "db", ZONE, "")),
            "b"),
        new Case(
            "required affinity with no matching pod anywhere",
            threeNodes(),
            List.of(),
            pod("new", WEB, required("podAffinity", "db", ZONE, "")),
            "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3"
                + " nodes are available: 3 Preemption is not helpful for scheduling."),
        new Case(
            "the first pod of a group with affinity to itself goes anywhere",
            threeNodes(),
            List.of(),
            pod("new", WEB, required("podAffinity", "web", ZONE, "")),
            "a"),
        new Case(
            "...but not to a node without the topology key",
            List.of(node("d", null)),
            List.of(),
            pod("new", WEB, required("podAffinity", "web", ZONE, "")),
            "0/1 nodes are available: 1 node(s) didn't match pod affinity rules. preemption: 0/1"
                + " nodes are available: 1 Preemption is not helpful for scheduling."),
        new Case(
            "required anti-affinity per hostname",
            threeNodes(),
            all(on("a", 1, "web", WEB), on("b", 1, "web", WEB)),
            pod("new", WEB, required("podAntiAffinity", "web", HOST, "")),
            "c"),
        new Case(
            "required anti-affinity with a matching pod on every node",
            threeNodes(),
            webEverywhere,
            pod("new", WEB, required("podAntiAffinity", "web", HOST, "")),
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption:"
                + " 0/3 nodes are available: 3 No preemption victims found for incoming pod."),
        new Case(
            "an existing pod's anti-affinity keeps the incoming pod out of its zone",
            threeNodes(),
            List.of(
                pod("db-a", DB, "nodeName: a, " + required("podAntiAffinity", "web", ZONE, ""))),
            pod("new", WEB, ""),
            "c"),
        new Case(
            "...and is reported as existing pods' anti-affinity",
            List.of(node("a", "z1"), node("b", "z1")),
            List.of(
                pod("db-a", DB, "nodeName: a, " + required("podAntiAffinity", "web", ZONE, ""))),
            pod("new", WEB, ""),
            "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules."
                + " preemption: 0/2 nodes are available: 2 No preemption victims found for"
                + " incoming pod."),
        new Case(
            "a term looks in the pod's own namespace by default",
            threeNodes(),
            webInTwoNamespaces,
            pod("new", WEB, required("podAntiAffinity", "web", HOST, "")),
            "c"),
        new Case(
            "a term with namespaces looks only there",
            threeNodes(),
            webInTwoNamespaces,
            pod("new", WEB, required("podAntiAffinity", "web", HOST, "namespaces: [other]")),
            "a"),
        new Case(
            "an empty namespaceSelector looks in every namespace",
            threeNodes(),
            webInTwoNamespaces,
            pod("new", WEB, required("podAntiAffinity", "web", HOST, "namespaceSelector: {}")),
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption:"
                + " 0/3 nodes are available: 3 No preemption victims found for incoming pod."),
        new Case(
            "a namespaceSelector looks in the namespaces whose labels it selects",
            threeNodes(),
            all(on("a", 1, "web", WEB), on("c", 1, "web", "namespace: other, labels: {app: web}")),
            pod(
                "new",
                WEB,
                required(
                    "podAntiAffinity", "web", HOST, "namespaceSelector: {matchLabels: {team: x}}")),
            "b"),
        new Case(
            "preferred affinity draws the pod to a matching pod's node",
            threeNodes(),
            on("b", 1, "db", DB),
            pod("new", WEB, preferred("podAffinity", "db", HOST, 50)),
            "b"),
        new Case(
            "preferred anti-affinity pushes it out of a matching pod's zone",
            threeNodes(),
            on("a", 1, "web", WEB),
            pod("new", WEB, preferred("podAntiAffinity", "web", ZONE, 50)),
            "c"),
        new Case(
            "an existing pod's preferred affinity to the incoming pod draws it",
            threeNodes(),
            List.of(pod("db-b", DB, "nodeName: b, " + preferred("podAffinity", "web", HOST, 10))),
            pod("new", WEB, ""),
            "b"),
        new Case(
            "an existing pod's required affinity counts with the hard-affinity weight",
            threeNodes(),
            List.of(pod("db-b", DB, "nodeName: b, " + required("podAffinity", "web", HOST, ""))),
            pod("new", WEB, ""),
            "b"),
        new Case(
            "without preferences: the least allocated node, first by name",
            threeNodes(),
            on("b", 1, "db", DB),
            pod("new", WEB, ""),
            "a"),
        new Case(
            "preferred node affinity",
            threeNodes(),
            List.of(),
            pod(
                "new",
                WEB,
                "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution:"
                    + " [{weight: 1, preference: {matchExpressions: [{key: "
                    + ZONE
                    + ", operator: In, values: [z2]}]}}]}}"),
            "c"),
        new Case(
            "an untolerated PreferNoSchedule taint is avoided",
            List.of(
                new io.fabric8.kubernetes.api.model.NodeBuilder(node("a", "z1"))
                    .editSpec()
                    .addNewTaint()
                    .withKey("spot")
                    .withEffect("PreferNoSchedule")
                    .endTaint()
                    .endSpec()
                    .build(),
                node("b", "z1")),
            List.of(),
            pod("new", WEB, ""),
            "b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void placesAsKubeScheduler(Case c) {
    ClusterSnapshot s =
        new ClusterSnapshot(
            c.nodes(),
            c.placed(),
            Map.of("default", Map.of(), "other", Map.of("team", "x")),
            List.of(),
            List.of(),
            List.of());
    assertThat(place(c.pod(), s)).isEqualTo(c.expected());
  }
}
