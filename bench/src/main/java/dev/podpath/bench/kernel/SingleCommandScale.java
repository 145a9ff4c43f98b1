package dev.podpath.bench.kernel;

import dev.podpath.kernel.World;
import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.net.IpAddress;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.Iptables;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Single {@code iptables} commands against a big kube-proxy-shaped nat table, as kube-proxy's
 * per-sync checks of its jump rules issue them: {@code iptables -t nat -C PREROUTING …} (the rule
 * is there) and {@code iptables -t nat -A KUBE-NODEPORTS …}, {@code count} of each, timed
 * separately. Run with the service counts as arguments:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.podpath.bench.kernel.SingleCommandScale [--count 100] 10000
 * </pre>
 */
public final class SingleCommandScale {

  private SingleCommandScale() {}

  public static void main(String[] args) {
    int count = 100;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--count")) {
        count = Integer.parseInt(args[++i]);
      } else {
        for (String s : args[i].split(",")) {
          sizes.add(Integer.parseInt(s));
        }
      }
    }
    if (sizes.isEmpty()) {
      sizes.add(10_000);
    }
    for (int services : sizes) {
      run(services, count);
    }
  }

  private static void run(int services, int count) {
    Netfilter nf = new World().addHost("node").root().netfilter();
    var table =
        KubeProxyNat.build(
            services,
            List.of(IpAddress.parse("10.244.0.11"), IpAddress.parse("10.244.0.12")),
            8080);
    nf.commit(table);
    int rules = table.chains().stream().mapToInt(c -> c.rules().size()).sum();
    List<String> check =
        List.of(
            "iptables",
            "-t",
            "nat",
            "-C",
            "PREROUTING",
            "-m",
            "comment",
            "--comment",
            "kubernetes service portals",
            "-j",
            "KUBE-SERVICES");
    // warm-up: one of each, not timed
    expect(Iptables.run(nf, check, ""));
    expect(Iptables.run(nf, append(0), ""));
    var threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      expect(Iptables.run(nf, check, ""));
    }
    long cpu1 = threads.getCurrentThreadCpuTime();
    long t1 = System.nanoTime();
    for (int i = 1; i <= count; i++) {
      expect(Iptables.run(nf, append(i), ""));
    }
    long cpu2 = threads.getCurrentThreadCpuTime();
    long t2 = System.nanoTime();
    System.out.printf(
        "%d services (%d nat rules): %d x -C: %.3f ms/cmd (CPU %.3f); %d x -A: %.3f ms/cmd (CPU %.3f)%n",
        services,
        rules,
        count,
        (t1 - t0) / 1e6 / count,
        (cpu1 - cpu0) / 1e6 / count,
        count,
        (t2 - t1) / 1e6 / count,
        (cpu2 - cpu1) / 1e6 / count);
  }

  private static List<String> append(int i) {
    return List.of(
        "iptables",
        "-t",
        "nat",
        "-A",
        "KUBE-NODEPORTS",
        "-p",
        "tcp",
        "--dport",
        Integer.toString(30000 + i),
        "-j",
        "KUBE-MARK-MASQ");
  }

  private static void expect(ToolResult r) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException("iptables failed: " + r);
    }
  }
}
