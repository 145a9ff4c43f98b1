package dev.podpath.bench.policy;

import dev.podpath.policy.analysis.Focus;
import dev.podpath.policy.analysis.Reachability;
import dev.podpath.policy.model.Semantics;

/**
 * One-shot scale run (time and heap) of {@code reach} over synthetic clusters: {@code java -cp
 * bench/target/benchmarks.jar dev.podpath.bench.policy.ReachScale 1000 10000 50000}. Prints, per
 * size: pods, namespaces, policies, workloads, equivalence classes, allowed workload pairs, the
 * time to build the analysis and to decide every pair, and the heap in use after a GC with the
 * analysis alive.
 */
public final class ReachScale {
  private ReachScale() {}

  public static void main(String[] args) {
    System.out.println(
        "pods namespaces policies workloads classes allowed-pairs build-ms"
            + " build-cpu-ms all-pairs-ms all-pairs-cpu-ms heap-MB");
    for (String a : args) {
      run(Integer.parseInt(a));
    }
  }

  static void run(int pods) {
    var state = SyntheticCluster.of(pods);
    long base = usedAfterGc();
    var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime();
    long c0 = cpu.getCurrentThreadCpuTime();
    var reach = Reachability.of(state, Semantics.KUBERNETES);
    long t1 = System.nanoTime();
    long c1 = cpu.getCurrentThreadCpuTime();
    long[] count = new long[1];
    reach.forEachConnection(Focus.NONE, c -> count[0]++);
    long t2 = System.nanoTime();
    long c2 = cpu.getCurrentThreadCpuTime();
    long heap = usedAfterGc() - base;
    long workloads = state.pods().stream().map(p -> p.workload()).distinct().count();
    System.out.printf(
        "%d %d %d %d %d %d %d %d %d %d %d%n",
        state.pods().size(),
        state.namespaces().size(),
        state.policies().size(),
        workloads,
        reach.classCount(),
        count[0],
        (t1 - t0) / 1_000_000,
        (c1 - c0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (c2 - c1) / 1_000_000,
        heap / (1 << 20));
    if (reach.classCount() < 0) {
      System.out.println(reach); // keep the analysis reachable until the heap is measured
    }
  }

  private static long usedAfterGc() {
    var rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
