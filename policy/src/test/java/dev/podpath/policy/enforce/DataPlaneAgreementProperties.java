package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.DumpReader;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.LongRange;

/**
 * On random clusters and random policies, the semantic judge and the data plane (each node's
 * compiled rules applied by the emulated iptables-restore and walked by lab probes) agree on every
 * probed flow between pods on two nodes and an external host.
 */
class DataPlaneAgreementProperties {

  @Property(tries = 12, seed = "20261126", shrinking = ShrinkingMode.OFF)
  void judgeAndDataPlaneAgree(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    String yaml = RandomCluster.yaml(new Random(seed));
    var state = ClusterLoader.build(DumpReader.parse("random-" + seed + ".yaml", yaml));
    var flows = DataPlaneAgreementTest.allFlows(state, List.of(80, 8080), List.of(53));
    var r = DataPlaneAgreementTest.check(state, flows);
    assertThat(r.code())
        .as("seed %d%nmanifests:%n%s%nlab output:%n%s", seed, yaml, r.output())
        .isZero();
  }
}
