package dev.podpath.bench.proxy;

import dev.podpath.kernel.World;
import dev.podpath.net.IpFamily;
import dev.podpath.proxy.iptables.KernelIptables;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.IptablesRestore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kube-proxy full sync at several cluster sizes, podpath next to the host's own {@code
 * iptables-restore}, in one process so that both see the same machine load:
 *
 * <pre>
 * java -Xmx8g -cp bench/target/benchmarks.jar dev.podpath.bench.proxy.FullSyncScale \
 *     [--repeat N] [--host-limit SECONDS] [SERVICES,…]
 * </pre>
 *
 * For each size ({@link ScaleCluster}: Services of 10 endpoints): the restore text kube-proxy
 * generates (timed alone), podpath's {@code iptables-restore --noflush --counters} of that text
 * into a fresh emulated node (parse, check, compile, install), and the whole sync through {@link
 * KernelIptables} (generate, jump rules, restore), and the sync after half the Services are deleted
 * (their chains flushed and deleted with {@code -X}); then, when run as root, the host's {@code
 * iptables-nft-restore} and {@code iptables-legacy-restore} loading the same file into a network
 * namespace created for the run ({@code pp-bench-PID}) and deleted after. Not root: those columns
 * are skipped with a message; a host restore still running after {@code --host-limit} seconds
 * (default 300; 0 skips the host's tools) is killed and reported as stopped, with the rules it had
 * loaded by then. Each podpath step runs {@code --repeat} times (default 2: the first includes the
 * JIT's warm-up); wall time and this thread's CPU time are printed, since on a shared machine wall
 * time also measures waiting for a core.
 */
public final class FullSyncScale {

  private FullSyncScale() {}

  /**
   * Wall seconds of one timed step, CPU seconds of the thread that ran it, and CPU seconds of the
   * whole process meanwhile (garbage collection and the JIT compiler included).
   */
  record Timing(double wall, double cpu, double processCpu) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%.2f s (cpu %.2f s, process cpu %.2f s)", wall, cpu, processCpu);
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int repeat = 2;
    int hostLimit = 300;
    List<Integer> sizes = new ArrayList<>(List.of(1000, 10000, 30000));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--repeat")) {
        repeat = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--host-limit")) {
        hostLimit = Integer.parseInt(args[++i]);
      } else {
        sizes = new ArrayList<>();
        for (String s : args[i].split(",")) {
          sizes.add(Integer.parseInt(s));
        }
      }
    }
    Optional<String> noReal = RealRestore.unavailable();
    noReal.ifPresent(why -> System.out.println("host iptables-restore: skipped (" + why + ")"));
    System.out.printf(
        Locale.ROOT,
        "JDK %s, %d cores, load average %.1f%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (int services : sizes) {
      run(services, repeat, noReal.isEmpty() ? hostLimit : 0);
    }
  }

  /** One size; {@code hostLimit} 0 skips the host's tool. */
  private static void run(int services, int repeat, int hostLimit)
      throws IOException, InterruptedException {
    var cluster = new ScaleCluster(services, 10);
    String[] text = {""};
    Timing gen = time(() -> text[0] = cluster.fullSync(new NullIptables()));
    long lines = text[0].lines().count();
    long rules = text[0].lines().filter(l -> l.startsWith("-A ")).count();
    System.out.printf(
        Locale.ROOT, "services=%d lines=%d rules=%d generate %s%n", services, lines, rules, gen);
    for (int r = 1; r <= repeat; r++) {
      Timing restore =
          time(
              () -> {
                var ns = new World().addHost("node").root();
                ToolResult res =
                    IptablesRestore.run(
                        ns.netfilter(), IpFamily.IPV4, List.of("--noflush", "--counters"), text[0]);
                if (!res.succeeded()) {
                  throw new IllegalStateException("podpath iptables-restore: " + res.stderr());
                }
              });
      System.out.printf(
          Locale.ROOT, "services=%d run %d podpath iptables-restore %s%n", services, r, restore);
    }
    for (int r = 1; r <= repeat; r++) {
      Timing sync =
          time(
              () -> {
                var ns = new World().addHost("node").root();
                cluster.fullSync(new KernelIptables(ns.netfilter(), IpFamily.IPV4));
              });
      System.out.printf(
          Locale.ROOT,
          "services=%d run %d podpath full sync (generate + restore) %s%n",
          services,
          r,
          sync);
    }
    scaleDown(cluster, services);
    if (hostLimit == 0) {
      return;
    }
    Path file = Files.createTempFile("pp-bench-", ".rules");
    try {
      Files.writeString(file, text[0], StandardCharsets.UTF_8);
      for (String tool : RealRestore.TOOLS) {
        RealRestore.Result res = RealRestore.run(tool, file, hostLimit);
        if (res.finished()) {
          System.out.printf(
              Locale.ROOT,
              "services=%d host %s --noflush --counters: %.2f s (user %.2f s, sys %.2f s),"
                  + " %d rules loaded%n",
              services,
              tool,
              res.wall(),
              res.user(),
              res.sys(),
              res.rulesLoaded());
        } else {
          System.out.printf(
              Locale.ROOT,
              "services=%d host %s --noflush --counters: STOPPED at the limit (%.0f s wall),"
                  + " %d rules loaded by then (tables committed before the one it was reading)%n",
              services,
              tool,
              res.wall(),
              res.rulesLoaded());
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Half the Services deleted after a full sync: the proxier's next sync deletes their chains
   * ({@code :CHAIN} then {@code -X CHAIN}, 11 per Service) while the other half's rules stay.
   */
  private static void scaleDown(ScaleCluster cluster, int services) {
    var ns = new World().addHost("node").root();
    var mx = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] start = new long[3];
    String text =
        cluster.syncThenDeleteHalf(
            new KernelIptables(ns.netfilter(), IpFamily.IPV4),
            () -> {
              start[0] = System.nanoTime();
              start[1] = mx.getCurrentThreadCpuTime();
              start[2] = os.getProcessCpuTime();
            });
    var t =
        new Timing(
            (System.nanoTime() - start[0]) / 1e9,
            (mx.getCurrentThreadCpuTime() - start[1]) / 1e9,
            (os.getProcessCpuTime() - start[2]) / 1e9);
    long deleted = text.lines().filter(l -> l.startsWith("-X ")).count();
    System.out.printf(
        Locale.ROOT,
        "services=%d podpath sync after deleting half the services (%d chains deleted) %s%n",
        services,
        deleted,
        t);
  }

  private static Timing time(Runnable step) {
    var mx = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long process0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    step.run();
    return new Timing(
        (System.nanoTime() - wall0) / 1e9,
        (mx.getCurrentThreadCpuTime() - cpu0) / 1e9,
        (os.getProcessCpuTime() - process0) / 1e9);
  }
}
