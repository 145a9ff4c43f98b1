package dev.podpath.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplorationTest {

  /** Three kube-proxy-style endpoints: 1/3, then 1/2 of the rest, then the catch-all. */
  private static String pick(Chooser c) {
    if (c.chance("ep1", 1.0 / 3)) {
      return "a";
    }
    return c.chance("ep2", 0.5) ? "b" : "c";
  }

  @Test
  void exploringGivesEveryBranchItsExactProbability() {
    var branches = Exploration.explore(ExplorationTest::pick, 100);
    assertThat(branches).extracting(Exploration.Branch::result).containsExactly("a", "b", "c");
    for (var b : branches) {
      assertThat(b.probability()).isCloseTo(1.0 / 3, within(1e-12));
    }
  }

  @Test
  void samplingIsReproducibleForASeedAndNearTheExactShares() {
    var first = new ArrayList<String>();
    var second = new ArrayList<String>();
    var c1 = new SampledChooser(42);
    var c2 = new SampledChooser(42);
    for (int i = 0; i < 3000; i++) {
      first.add(pick(c1));
      second.add(pick(c2));
    }
    assertThat(first).isEqualTo(second);
    long a = first.stream().filter("a"::equals).count();
    assertThat(a / 3000.0).isCloseTo(1.0 / 3, within(0.03));
  }

  @Test
  void zeroProbabilityBranchesAreNeverTaken() {
    var branches = Exploration.explore(c -> c.choose("x", new double[] {0, 1, 0}), 10);
    assertThat(branches).extracting(Exploration.Branch::result).containsExactly(1);
  }

  @Test
  void clockRunsDueTasksInOrder() {
    var clock = new VirtualClock();
    var log = new ArrayList<String>();
    clock.schedule(Duration.ofSeconds(5), () -> log.add("b"));
    clock.schedule(Duration.ofSeconds(1), () -> log.add("a"));
    clock.schedule(Duration.ofSeconds(5), () -> log.add("c"));
    clock.advance(Duration.ofSeconds(4));
    assertThat(log).containsExactly("a");
    clock.advance(Duration.ofSeconds(1));
    assertThat(log).isEqualTo(List.of("a", "b", "c"));
    assertThat(clock.seconds()).isEqualTo(5);
  }
}
