package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.net.VirtualClock;
import dev.podpath.policy.load.DumpReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyAgentTest {
  private ApiStore store;
  private RecordingIptables iptables;
  private PolicyAgent agent;

  @BeforeEach
  void setUp() {
    store = new ApiStore(new VirtualClock());
    // Read with the policy module's reader: kube's ManifestReader (at the time of writing)
    // turns YAML integers into BigInteger nodes, which fabric8's IntOrString cannot decode.
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (var m :
        DumpReader.read(List.of(Path.of("src/test/resources/enforce/shop-cluster.yaml")))) {
      Class<? extends HasMetadata> type =
          switch (m.kind()) {
            case "Namespace" -> Namespace.class;
            case "Pod" -> Pod.class;
            default -> NetworkPolicy.class;
          };
      try {
        store.create(json.treeToValue(m.object(), type));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    iptables = new RecordingIptables();
    agent = new PolicyAgent("node-1", iptables);
    agent.attach(store);
  }

  /** A copy of a stored pod (the store hands out its own instance). */
  private Pod pod(String ns, String name) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      return json.treeToValue(
          json.valueToTree(store.get(Pod.class, ns, name).orElseThrow()), Pod.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void firstSyncProgramsTheNodeFromTheWatchedObjects() throws Exception {
    assertThat(iptables.restores()).isEmpty();
    assertThat(agent.sync()).isTrue();
    assertThat(iptables.restores())
        .singleElement()
        .isEqualTo(
            java.nio.file.Files.readString(
                Path.of("src/test/resources/enforce/shop-node-1.rules")));
    assertThat(iptables.jumps())
        .containsExactlyInAnyOrder(
            "filter -A FORWARD -m comment --comment \"podpath network policies\" -j PODPATH-FORWARD",
            "filter -A OUTPUT -m comment --comment \"podpath network policies\" -j PODPATH-OUTPUT");
  }

  @Test
  void unchangedStateIsNotReapplied() {
    agent.sync();
    assertThat(agent.sync()).isFalse();
    var pod = pod("ops", "monitoring-1");
    pod.getMetadata().setAnnotations(Map.of("note", "irrelevant"));
    store.update(pod);
    assertThat(agent.sync()).isFalse();
    assertThat(iptables.restores()).hasSize(1);
  }

  @Test
  void aLabelChangeOnAPeerPodUpdatesThePolicyChain() {
    agent.sync();
    var pod = pod("ops", "monitoring-1");
    pod.getMetadata().setLabels(Map.of("app", "frontend"));
    store.update(pod);
    assertThat(agent.sync()).isFalse(); // monitoring is in ops: the shop policy's peer is shop-only
    pod = pod("shop", "db-0");
    pod.getMetadata().setLabels(Map.of("app", "frontend"));
    store.update(pod);
    assertThat(agent.sync()).isTrue();
    assertThat(agent.applied()).contains("-s 10.244.2.20/32 -d 10.244.1.11/32 -p tcp");
  }

  @Test
  void deletingAPolicyDeletesItsChain() {
    agent.sync();
    String chain =
        ChainNames.policy(
            "shop", "allow-frontend-to-backend", dev.podpath.policy.model.Direction.INGRESS);
    assertThat(agent.applied()).contains(":" + chain + " ");
    store.delete(ObjectKey.of(Kind.NETWORK_POLICY, "shop", "allow-frontend-to-backend"));
    assertThat(agent.sync()).isTrue();
    assertThat(agent.applied()).contains("-X " + chain + "\n");
  }

  private static <T> T parse(String yaml, Class<T> type) {
    try {
      var tree =
          new com.fasterxml.jackson.databind.ObjectMapper(
                  new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
              .readTree(yaml);
      return new com.fasterxml.jackson.databind.ObjectMapper().treeToValue(tree, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNamespaceLabelChangeUpdatesTheRulesOfPoliciesSelectingIt() {
    store.create(
        parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: metrics-from-monitoring, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: backend}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {team: monitoring}}}]
                ports: [{port: 9100}]
            """,
            NetworkPolicy.class));
    agent.sync();
    assertThat(agent.applied()).doesNotContain("-s 10.244.2.30/32");
    var ops = store.get(Namespace.class, "", "ops").orElseThrow();
    var labelled =
        parse(
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ops, labels: {team: monitoring}}
            """,
            Namespace.class);
    labelled.getMetadata().setResourceVersion(ops.getMetadata().getResourceVersion());
    store.update(labelled);
    assertThat(agent.sync()).isTrue();
    assertThat(agent.applied())
        .contains(
            "-s 10.244.2.30/32 -p tcp -m comment --comment \"shop/metrics-from-monitoring ingress"
                + " rule #1\" -m tcp --dport 9100");
  }

  @Test
  void aPodScheduledOnTheNodeGetsItsChainAndLosesItWhenDeleted() {
    agent.sync();
    String chain = ChainNames.pod("shop", "backend-2");
    assertThat(agent.applied()).doesNotContain(chain);
    store.create(
        parse(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: backend-2, namespace: shop, labels: {app: backend, tier: api}}
            spec:
              nodeName: node-1
              containers: [{name: api, image: api, ports: [{name: api, containerPort: 9090}]}]
            status: {podIP: 10.244.1.12}
            """,
            Pod.class));
    assertThat(agent.sync()).isTrue();
    assertThat(agent.applied()).contains(":" + chain + " ").contains("-d 10.244.1.12/32");
    // gone for good (grace period 0: a graceful delete keeps the pod, terminating, until then)
    store.delete(ObjectKey.of(Kind.POD, "shop", "backend-2"), 0L);
    assertThat(agent.sync()).isTrue();
    assertThat(agent.applied()).contains("-X " + chain + "\n");
  }
}
