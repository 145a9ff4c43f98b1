package dev.podpath.bench.policy;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.PortSet;
import dev.podpath.net.Protocol;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.ContainerPort;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.NamespaceInfo;
import dev.podpath.policy.model.Peer;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Policy;
import dev.podpath.policy.model.PortMatch;
import dev.podpath.policy.model.Rule;
import dev.podpath.policy.model.Selector;
import dev.podpath.policy.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A synthetic cluster shaped like the scale target: {@code pods/50} namespaces of 10
 * Deployments with 5 replicas each (labels {@code app}, {@code tier}, a unique {@code
 * pod-template-hash}), and 5 policies per namespace (so 10,000 pods give 200 namespaces and 1,000
 * policies): default-deny ingress; web open on TCP 8080; api from web on the named port {@code
 * api}; db from api on 5432 and from the team's {@code app-9} pods in any namespace; db egress to
 * DNS in 10/8 except the pod range, and to every {@code env=prod} namespace.
 */
public final class SyntheticCluster {
  private static final List<String> TIERS = List.of("web", "api", "db");

  private SyntheticCluster() {}

  public static ClusterState of(int pods) {
    int namespaces = Math.max(1, pods / 50);
    var nsInfos = new TreeMap<String, NamespaceInfo>();
    var podInfos = new ArrayList<PodInfo>();
    var policies = new ArrayList<Policy>();
    int ip = 0;
    for (int n = 0; n < namespaces; n++) {
      String ns = "ns-" + n;
      String team = "team-" + (n % 20);
      nsInfos.put(
          ns, new NamespaceInfo(ns, Map.of("team", team, "env", n % 2 == 0 ? "prod" : "dev")));
      for (int d = 0; d < 10; d++) {
        String app = "app-" + d;
        String tier = TIERS.get(d % 3);
        var w = new Workload(ns, app + "-7d9f8c" + d, "ReplicaSet");
        for (int r = 0; r < 5 && podInfos.size() < pods; r++) {
          ip++;
          podInfos.add(
              new PodInfo(
                  ns,
                  app + "-" + r,
                  Map.of("app", app, "tier", tier, "pod-template-hash", "h" + n + "x" + d),
                  List.of(IpAddress.parse("10.244." + (ip >> 8 & 255) + "." + (ip & 255))),
                  List.of(
                      new ContainerPort(
                          Optional.of(tier.equals("api") ? "api" : "http"),
                          tier.equals("db") ? 5432 : 8080,
                          Protocol.TCP)),
                  PodInfo.Network.POD,
                  w,
                  Optional.of("node-" + (ip % 100))));
        }
      }
      policies.addAll(policiesFor(ns, team));
    }
    return new ClusterState(nsInfos, podInfos, policies);
  }

  private static Selector tier(String t) {
    return Selector.of(Map.of("tier", t));
  }

  private static List<Policy> policiesFor(String ns, String team) {
    var in = Set.of(Direction.INGRESS);
    var tcp =
        (java.util.function.IntFunction<PortMatch>)
            p -> new PortMatch.Numbered(Protocol.TCP, PortSet.of(p));
    return List.of(
        new Policy(ns, "default-deny", Selector.EVERYTHING, in, List.of(), List.of()),
        new Policy(
            ns,
            "web",
            tier("web"),
            in,
            List.of(new Rule(Direction.INGRESS, 1, List.of(), List.of(tcp.apply(8080)))),
            List.of()),
        new Policy(
            ns,
            "api",
            tier("api"),
            in,
            List.of(
                new Rule(
                    Direction.INGRESS,
                    1,
                    List.of(new Peer.Pods(ns, Optional.empty(), tier("web"))),
                    List.of(new PortMatch.Named(Protocol.TCP, "api")))),
            List.of()),
        new Policy(
            ns,
            "db",
            tier("db"),
            in,
            List.of(
                new Rule(
                    Direction.INGRESS,
                    1,
                    List.of(
                        new Peer.Pods(ns, Optional.empty(), tier("api")),
                        new Peer.Pods(
                            ns,
                            Optional.of(Selector.of(Map.of("team", team))),
                            Selector.of(Map.of("app", "app-9")))),
                    List.of(tcp.apply(5432)))),
            List.of()),
        new Policy(
            ns,
            "db-egress",
            tier("db"),
            Set.of(Direction.EGRESS),
            List.of(),
            List.of(
                new Rule(
                    Direction.EGRESS,
                    1,
                    List.of(
                        Peer.IpBlock.of(
                            IpPrefix.parse("10.0.0.0/8"),
                            List.of(IpPrefix.parse("10.244.0.0/16")))),
                    List.of(new PortMatch.Numbered(Protocol.UDP, PortSet.of(53)))),
                new Rule(
                    Direction.EGRESS,
                    2,
                    List.of(
                        new Peer.Pods(
                            ns,
                            Optional.of(Selector.of(Map.of("env", "prod"))),
                            Selector.EVERYTHING)),
                    List.of(new PortMatch.Numbered(Protocol.TCP, ConnectionSet.PORTS))))));
  }
}
