package dev.podpath.bench.proxy;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link ProxyFirstPacketBenchmark} measured in this thread's CPU time and the whole process's
 * (garbage collection and JIT included) as well as wall time, for machines so loaded that wall time
 * mostly measures waiting for a core:
 *
 * <pre>
 * java -Xmx8g -cp bench/target/benchmarks.jar dev.podpath.bench.proxy.ProxyFirstPacketCpuTime \
 *     [OPS [SERVICES,…]]
 * </pre>
 *
 * Each size gets its own node, then {@code OPS} first packets of warm-up and {@code OPS} measured.
 */
public final class ProxyFirstPacketCpuTime {

  private ProxyFirstPacketCpuTime() {}

  public static void main(String[] args) {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1000, 10000, 30000};
    var mx = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int services : sizes) {
      var b = new ProxyFirstPacketBenchmark();
      b.services = services;
      long setup0 = mx.getCurrentThreadCpuTime();
      b.setup();
      System.out.printf(
          Locale.ROOT,
          "services=%5d  setup (generate, restore, check) cpu %.1f s%n",
          services,
          (mx.getCurrentThreadCpuTime() - setup0) / 1e9);
      for (int i = 0; i < ops; i++) {
        b.firstPacket();
      }
      long cpu0 = mx.getCurrentThreadCpuTime();
      long process0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        b.firstPacket();
      }
      System.out.printf(
          Locale.ROOT,
          "services=%5d  cpu %6.1f us/op  process cpu %6.1f us/op  wall %6.1f us/op"
              + "  (%d ops after %d warm-up)%n",
          services,
          (mx.getCurrentThreadCpuTime() - cpu0) / 1000.0 / ops,
          (os.getProcessCpuTime() - process0) / 1000.0 / ops,
          (System.nanoTime() - wall0) / 1000.0 / ops,
          ops,
          ops);
    }
  }
}
