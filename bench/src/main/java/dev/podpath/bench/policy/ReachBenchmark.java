package dev.podpath.bench.policy;

import dev.podpath.policy.analysis.Focus;
import dev.podpath.policy.analysis.Reachability;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.Semantics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code podpath reach} over {@link SyntheticCluster}s: building the analysis (signatures, classes,
 * external partition), and deciding every workload pair (counting allowed lines).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReachBenchmark {
  @Param({"1000", "10000"})
  public int pods;

  private ClusterState state;

  @Setup(Level.Trial)
  public void setUp() {
    state = SyntheticCluster.of(pods);
  }

  @Benchmark
  public Reachability build() {
    return Reachability.of(state, Semantics.KUBERNETES);
  }

  @Benchmark
  public long buildAndDecideEveryPair() {
    var reach = Reachability.of(state, Semantics.KUBERNETES);
    long[] n = new long[1];
    reach.forEachConnection(Focus.NONE, c -> n[0]++);
    return n[0];
  }
}
