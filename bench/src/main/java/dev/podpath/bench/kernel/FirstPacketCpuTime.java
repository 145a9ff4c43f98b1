package dev.podpath.bench.kernel;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The {@link FirstPacketBenchmark} measured in thread CPU time instead of wall time, for machines
 * so loaded that wall time mostly measures waiting for a core: {@code java -cp
 * bench/target/benchmarks.jar dev.podpath.bench.kernel.FirstPacketCpuTime [OPS [SIZES]]}.
 */
public final class FirstPacketCpuTime {

  private FirstPacketCpuTime() {}

  public static void main(String[] args) {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    var mx = ManagementFactory.getThreadMXBean();
    int[] sizes =
        args.length > 1
            ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {100, 1000, 10000};
    for (int services : sizes) {
      var b = new FirstPacketBenchmark();
      b.services = services;
      long setup0 = mx.getCurrentThreadCpuTime();
      b.setup();
      System.out.printf(
          Locale.ROOT,
          "services=%5d  setup cpu %.1f s%n",
          services,
          (mx.getCurrentThreadCpuTime() - setup0) / 1e9);
      for (int i = 0; i < ops; i++) {
        b.firstPacket();
      }
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        b.firstPacket();
      }
      double cpuUs = (mx.getCurrentThreadCpuTime() - cpu0) / 1000.0 / ops;
      double wallUs = (System.nanoTime() - wall0) / 1000.0 / ops;
      System.out.printf(
          Locale.ROOT,
          "services=%5d  cpu %8.1f us/op  wall %8.1f us/op  (%d ops after %d warm-up)%n",
          services,
          cpuUs,
          wallUs,
          ops,
          ops);
    }
  }
}
