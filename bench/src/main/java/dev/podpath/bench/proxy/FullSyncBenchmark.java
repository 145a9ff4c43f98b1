package dev.podpath.bench.proxy;

import dev.podpath.kernel.World;
import dev.podpath.net.IpFamily;
import dev.podpath.proxy.iptables.KernelIptables;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.iptables.IptablesRestore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 * podpath's {@code iptables-restore} parses it and commits it to an emulated namespace), {@code
 * apply} (podpath's {@code iptables-restore} of the generated text alone), and {@code realNft} /
 * {@code realLegacy} (the host's own {@code iptables-nft-restore} / {@code iptables-legacy-restore
 * --noflush --counters} loading the same text into a network namespace made for each invocation and
 * deleted after it; needs root, and fails with a message saying so otherwise). {@link
 * FullSyncScale} measures the same in one plain process, with CPU time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FullSyncBenchmark {

  @Param({"1000", "10000", "30000"})
  public int services;

  private ScaleCluster cluster;
  private String text = "";
  private Path restoreFile;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    cluster = new ScaleCluster(services, 10);
    text = cluster.fullSync(new NullIptables());
    restoreFile = Files.createTempFile("pp-bench-", ".rules");
    Files.writeString(restoreFile, text);
  }

  @TearDown(Level.Trial)
  public void teardown() throws IOException {
    Files.deleteIfExists(restoreFile);
  }

  /** A network namespace of the host for one invocation of the host's tool. */
  @State(Scope.Thread)
  public static class HostNetns {
    String name = "";
    Optional<String> unavailable = Optional.empty();
    private int made;

    @Setup(Level.Trial)
    public void check() {
      unavailable = RealRestore.unavailable();
    }

    @Setup(Level.Invocation)
    public void add() throws IOException, InterruptedException {
      if (unavailable.isEmpty()) {
        name = "pp-bench-" + ProcessHandle.current().pid() + "-jmh-" + (++made);
        run(List.of("ip", "netns", "add", name));
      }
    }

    @TearDown(Level.Invocation)
    public void del() throws IOException, InterruptedException {
      if (unavailable.isEmpty()) {
        run(List.of("ip", "netns", "del", name));
      }
    }

    int restore(String tool, Path file) throws IOException, InterruptedException {
      if (unavailable.isPresent()) {
        throw new UnsupportedOperationException("host " + tool + " skipped: " + unavailable.get());
      }
      return run(
          List.of("ip", "netns", "exec", name, tool, "--noflush", "--counters", file.toString()));
    }

    private static int run(List<String> argv) throws IOException, InterruptedException {
      RealRestore.Output o = RealRestore.exec(argv);
      if (o.code() != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " failed: " + o.stderr());
      }
      return o.code();
    }
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
  public ToolResult apply() {
    var ns = new World().addHost("node").root();
    return IptablesRestore.run(
        ns.netfilter(), IpFamily.IPV4, List.of("--noflush", "--counters"), text);
  }

  @Benchmark
  public int realNft(HostNetns netns) throws IOException, InterruptedException {
    return netns.restore("iptables-nft-restore", restoreFile);
  }

  @Benchmark
  public int realLegacy(HostNetns netns) throws IOException, InterruptedException {
    return netns.restore("iptables-legacy-restore", restoreFile);
  }
}
