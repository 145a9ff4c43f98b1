package dev.podpath.bench.proxy;

import dev.podpath.bench.PodNamespaces;
import dev.podpath.kernel.Host;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.Journey;
import dev.podpath.kernel.walk.Walker;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import dev.podpath.net.trace.Fate;
import dev.podpath.proxy.iptables.KernelIptables;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A connection's first packet from a pod to a random Service VIP through a node whose filter and
 * nat tables are exactly what this kube-proxy generated for {@code services} Services of 10
 * endpoints (loaded with {@code iptables-restore}, jump rules included): pod, bridge, node
 * PREROUTING (KUBE-SERVICES, KUBE-SVC with nine statistic rules, KUBE-SEP, DNAT), routing, FORWARD
 * (KUBE-PROXY-FIREWALL, KUBE-FORWARD, KUBE-SERVICES, KUBE-EXTERNAL-SERVICES), POSTROUTING, bridge,
 * backend pod, socket. Conntrack is flushed every 4096 operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProxyFirstPacketBenchmark {

  @Param({"1000", "10000", "30000"})
  public int services;

  private World world;
  private Walker walker;
  private NetNamespace client;
  private SampledChooser chooser;
  private SplittableRandom random;
  private int port = 1024;
  private int ops;
  private final IpAddress clientIp = IpAddress.parse("10.244.0.200");

  @Setup
  public void setup() {
    world = new World();
    Host host = world.addHost("node");
    NetNamespace node = host.root();
    node.sysctls().set("net.ipv4.ip_forward", "1");
    node.addBridge("cni0");
    node.routing()
        .addAddress(
            "cni0",
            IpPrefix.parse("10.244.0.1/24"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    node.setUp("cni0", true);
    client = pod(host, "client", clientIp);
    for (int b = 0; b < ScaleCluster.BACKENDS; b++) {
      pod(host, "b" + b, ScaleCluster.backend(b))
          .sockets()
          .bind(new Listener(Protocol.TCP, IpAddress.parse("0.0.0.0"), 8080, "serve"));
    }
    new ScaleCluster(services, 10).fullSync(new KernelIptables(node.netfilter(), IpFamily.IPV4));
    walker = new Walker(world);
    chooser = new SampledChooser(42);
    random = new SplittableRandom(7);
    Journey check = firstPacket();
    if (check.fate() != Fate.DELIVERED) {
      throw new IllegalStateException("benchmark topology broken: " + check.trace());
    }
  }

  private static NetNamespace pod(Host host, String name, IpAddress addr) {
    return PodNamespaces.pod(host, name, addr);
  }

  @Benchmark
  public Journey firstPacket() {
    PodNamespaces.flushConntrackEvery4096(world, ++ops);
    port = port >= 65000 ? 1024 : port + 1;
    var vip = ScaleCluster.vip(random.nextInt(services));
    return walker.send(client, Packet.tcpSyn(clientIp, port, vip, 80), chooser);
  }
}
