package dev.podpath.bench.proxy;

import dev.podpath.kernel.World;
import dev.podpath.net.IpFamily;
import dev.podpath.proxy.iptables.KernelIptables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kube-proxy full sync of {@code services} Services with 10 endpoints each: {@code generate}
 * (trackers, endpoint selection, the restore text), {@code generateAndApply} (the same, then
 * podpath's {@code iptables-restore} parses it and commits it to an emulated namespace), and {@code
 * realIptablesRestore} (the host's own {@code iptables-restore --noflush} loading the same text
 * into a fresh network namespace; needs root and {@code ip netns}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FullSyncBenchmark {

  @Param({"1000", "10000", "30000"})
  public int services;

  private ScaleCluster cluster;
  private Path restoreFile;
  private String netns = "";

  @Setup(Level.Trial)
  public void setup() throws IOException {
    cluster = new ScaleCluster(services, 10);
    restoreFile = Files.createTempFile("proxy-bench-", ".rules");
    Files.writeString(restoreFile, cluster.fullSync(new NullIptables()));
  }

  @TearDown(Level.Trial)
  public void teardown() throws IOException {
    Files.deleteIfExists(restoreFile);
  }

  @Setup(Level.Invocation)
  public void freshNetns() throws IOException, InterruptedException {
    netns = "proxy-bench-" + ProcessHandle.current().pid();
    exec(List.of("ip", "netns", "add", netns));
  }

  @TearDown(Level.Invocation)
  public void dropNetns() throws IOException, InterruptedException {
    exec(List.of("ip", "netns", "del", netns));
  }

  @Benchmark
  public String generate() {
    return cluster.fullSync(new NullIptables());
  }

  @Benchmark
  public String generateAndApply() {
    var ns = new World().addHost("node").root();
    return cluster.fullSync(new KernelIptables(ns.netfilter(), IpFamily.IPV4));
  }

  @Benchmark
  public int realIptablesRestore() throws IOException, InterruptedException {
    return exec(
        List.of(
            "ip", "netns", "exec", netns, "iptables-restore", "--noflush", restoreFile.toString()));
  }

  private static int exec(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
    }
    return code;
  }
}
