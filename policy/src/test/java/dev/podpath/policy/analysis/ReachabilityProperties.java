package dev.podpath.policy.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.policy.enforce.RandomCluster;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.DumpReader;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Semantics;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Grouping pods into equivalence classes never changes an answer. */
class ReachabilityProperties {

  @Property(tries = 200)
  void classesGiveThePodByPodAnswer(@ForAll @LongRange(min = 0, max = 1_000_000_000) long seed) {
    var state =
        ClusterLoader.build(DumpReader.parse("r.yaml", RandomCluster.yaml(new Random(seed))));
    for (var sem : Semantics.values()) {
      var reach = Reachability.of(state, sem);
      var judge = new Judge(new PolicyIndex(state, sem));
      for (PodInfo a : state.pods()) {
        for (PodInfo b : state.pods()) {
          if (a.workload().equals(b.workload())) {
            continue;
          }
          ConnectionSet direct = judge.allowed(new Endpoint.Pod(a), new Endpoint.Pod(b));
          assertThat(
                  reach.connections(
                      new ReachNode.OfWorkload(a.workload()),
                      new ReachNode.OfWorkload(b.workload())))
              .as("%s -> %s under %s", a.key(), b.key(), sem)
              .isEqualTo(direct);
        }
      }
    }
  }
}
