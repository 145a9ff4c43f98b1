package dev.podpath.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.load.DumpReader;
import dev.podpath.policy.model.Semantics;
import org.junit.jupiter.api.Test;

class JudgeTest {

  static final String CLUSTER =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop, labels: {team: shop}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: ops, labels: {team: ops}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        containers:
        - name: c
          ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9100, protocol: UDP}]
      status: {podIP: 10.0.0.1}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: db, namespace: shop, labels: {app: db}}
      spec: {containers: [{name: c, ports: [{name: sql, containerPort: 5432}]}]}
      status: {podIP: 10.0.0.2}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: probe, namespace: ops, labels: {app: web}}
      spec: {containers: [{name: c}]}
      status: {podIP: 10.0.1.1}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: agent, namespace: ops, labels: {app: agent}}
      spec: {hostNetwork: true, containers: [{name: c}]}
      status: {podIP: 192.168.0.10}
      """;

  static ClusterState state(String policies) {
    return ClusterLoader.build(DumpReader.parse("test.yaml", CLUSTER + "---\n" + policies));
  }

  static boolean allowed(ClusterState s, String from, String to, Protocol proto, int port) {
    return allowed(s, Semantics.KUBERNETES, from, to, proto, port);
  }

  static boolean allowed(
      ClusterState s, Semantics sem, String from, String to, Protocol proto, int port) {
    var judge = new Judge(new PolicyIndex(s, sem));
    return judge.allowed(endpoint(s, from), endpoint(s, to)).allows(proto, port);
  }

  static Endpoint endpoint(ClusterState s, String name) {
    return s.pod(name)
        .<Endpoint>map(Endpoint.Pod::new)
        .orElseGet(() -> new Endpoint.External(AddressSet.of(IpAddress.parse(name))));
  }

  @Test
  void podsSelectedByNoPolicyAcceptEverything() {
    var s = state("");
    assertThat(allowed(s, "ops/probe", "shop/db", Protocol.SCTP, 1)).isTrue();
  }

  @Test
  void podSelectorAndNamespaceSelectorInOnePeerMustBothHold() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: and, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {team: ops}}
              podSelector: {matchLabels: {app: web}}
        """);
    assertThat(allowed(s, "ops/probe", "shop/db", Protocol.TCP, 5432)).isTrue();
    assertThat(allowed(s, "shop/web", "shop/db", Protocol.TCP, 5432)).isFalse();
  }

  @Test
  void twoPeersAreEitherOr() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: or, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {team: ops}}
            - podSelector: {matchLabels: {app: web}}
        """);
    assertThat(allowed(s, "ops/probe", "shop/db", Protocol.TCP, 5432)).isTrue();
    assertThat(allowed(s, "shop/web", "shop/db", Protocol.TCP, 5432)).isTrue();
  }

  @Test
  void absentNamespaceSelectorMeansThePolicyNamespaceAndEmptyMeansEveryNamespace() {
    var own =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: own, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
        """);
    assertThat(allowed(own, "ops/probe", "shop/db", Protocol.TCP, 5432)).isFalse();
    var any =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: any, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]}]
        """);
    assertThat(allowed(any, "ops/probe", "shop/db", Protocol.TCP, 5432)).isTrue();
  }

  @Test
  void namedPortResolvesOnTheDestinationWithItsProtocol() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: named, namespace: shop}
        spec:
          podSelector: {}
          ingress:
          - ports: [{port: http}, {port: metrics}]
        """);
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.TCP, 8080)).isTrue();
    // "metrics" is a UDP port on web; the rule says TCP (the default), so it matches nothing.
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.UDP, 9100)).isFalse();
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.TCP, 9100)).isFalse();
    assertThat(allowed(s, "ops/probe", "shop/db", Protocol.TCP, 8080)).isFalse();
  }

  @Test
  void endPortGivesAnInclusiveRange() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: range, namespace: shop}
        spec:
          podSelector: {}
          ingress: [{ports: [{protocol: UDP, port: 1000, endPort: 1002}]}]
        """);
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.UDP, 1002)).isTrue();
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.UDP, 1003)).isFalse();
    assertThat(allowed(s, "ops/probe", "shop/web", Protocol.TCP, 1000)).isFalse();
  }

  @Test
  void egressNeedsItsOwnAllowEvenWhenIngressAllows() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-egress, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Egress]
        """);
    assertThat(allowed(s, "shop/web", "shop/db", Protocol.TCP, 5432)).isFalse();
    assertThat(allowed(s, "shop/db", "shop/web", Protocol.TCP, 8080)).isTrue();
  }

  @Test
  void ipBlockMatchesPodIpsUnderKubernetesSemanticsOnly() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: cidr, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}}]}]
        """);
    assertThat(allowed(s, "shop/web", "shop/db", Protocol.TCP, 5432)).isTrue();
    assertThat(allowed(s, "ops/probe", "shop/db", Protocol.TCP, 5432)).isFalse();
    assertThat(allowed(s, Semantics.NP_GUARD, "shop/web", "shop/db", Protocol.TCP, 5432)).isFalse();
    assertThat(allowed(s, "10.0.200.1", "shop/db", Protocol.TCP, 5432)).isTrue();
    assertThat(allowed(s, "10.0.1.7", "shop/db", Protocol.TCP, 5432)).isFalse();
  }

  @Test
  void hostNetworkPodsAreNeitherSelectedNorMatchedBySelectors() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all, namespace: ops}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-ops, namespace: shop}
        spec:
          podSelector: {}
          ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}]
        """);
    assertThat(allowed(s, "ops/agent", "shop/web", Protocol.TCP, 8080)).isFalse();
    assertThat(allowed(s, "shop/web", "ops/agent", Protocol.TCP, 1)).isTrue();
    assertThat(allowed(s, Semantics.NP_GUARD, "ops/agent", "shop/web", Protocol.TCP, 8080))
        .isFalse();
  }

  @Test
  void explanationNamesSelectingPoliciesAndAdmittingRules() {
    var s =
        state(
            """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
        """);
    var judge = new Judge(new PolicyIndex(s, Semantics.KUBERNETES));
    var e = judge.explain(endpoint(s, "shop/web"), endpoint(s, "shop/db"));
    assertThat(e.ingress().selecting()).containsExactly("shop/db");
    assertThat(e.ingress().admitting())
        .singleElement()
        .hasToString("NetworkPolicy 'shop/db' Ingress rule #1 allows TCP 5432");
    assertThat(e.egress().isolated()).isFalse();
    assertThat(e.allowed()).hasToString("TCP 5432");
  }
}
