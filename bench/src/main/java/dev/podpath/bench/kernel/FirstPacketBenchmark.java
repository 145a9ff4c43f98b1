package dev.podpath.bench.kernel;

import dev.podpath.bench.PodNamespaces;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.socket.Listener;
import dev.podpath.kernel.walk.Journey;
import dev.podpath.kernel.walk.Walker;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import dev.podpath.net.trace.Fate;
import java.util.List;
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
 * A connection's first packet (a TCP SYN) from a pod to a Service VIP, walked through a node whose
 * nat table is kube-proxy-shaped with {@code services} services of two endpoints each: pod
 * netfilter, bridge, node PREROUTING (KUBE-SERVICES, KUBE-SVC, KUBE-SEP, DNAT), routing, FORWARD,
 * POSTROUTING (KUBE-POSTROUTING), bridge, backend pod INPUT, socket. Each operation is a new
 * connection (a fresh source port, a random service); conntrack is flushed every 4096 operations so
 * tables stay small.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstPacketBenchmark {

  @Param({"100", "1000", "10000"})
  public int services;

  private World world;
  private Walker walker;
  private NetNamespace client;
  private NetNamespace node;
  private SampledChooser chooser;
  private SplittableRandom random;
  private int port = 1024;
  private int ops;
  private final IpAddress clientIp = IpAddress.parse("10.244.0.20");

  @Setup
  public void setup() {
    world = new World();
    var host = world.addHost("node");
    node = host.root();
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
    client = pod(host, "client", "10.244.0.20");
    var b1 = pod(host, "b1", "10.244.0.11");
    var b2 = pod(host, "b2", "10.244.0.12");
    for (var b : List.of(b1, b2)) {
      b.sockets().bind(new Listener(Protocol.TCP, IpAddress.parse("0.0.0.0"), 8080, "serve"));
    }
    node.netfilter()
        .commit(
            KubeProxyNat.build(
                services,
                List.of(IpAddress.parse("10.244.0.11"), IpAddress.parse("10.244.0.12")),
                8080));
    walker = new Walker(world);
    chooser = new SampledChooser(42);
    random = new SplittableRandom(7);
    var check = firstPacket();
    if (check.fate() != Fate.DELIVERED) {
      throw new IllegalStateException("benchmark topology broken: " + check.trace());
    }
  }

  private static NetNamespace pod(dev.podpath.kernel.Host host, String name, String addr) {
    return PodNamespaces.pod(host, name, IpAddress.parse(addr));
  }

  @Benchmark
  public Journey firstPacket() {
    PodNamespaces.flushConntrackEvery4096(world, ++ops);
    port = port >= 65000 ? 1024 : port + 1;
    var vip = KubeProxyNat.vip(random.nextInt(services));
    return walker.send(client, Packet.tcpSyn(clientIp, port, vip, 80), chooser);
  }
}
