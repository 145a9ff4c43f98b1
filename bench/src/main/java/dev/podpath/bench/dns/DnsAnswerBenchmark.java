package dev.podpath.bench.dns;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.PodMode;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.dns.server.WireFormat;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The cost of computing one answer (no memo, no sockets): wire query in, wire answer out, for a
 * cluster of N ClusterIP services. Run: {@code java -jar bench/target/benchmarks.jar
 * DnsAnswerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DnsAnswerBenchmark {

  @Param({"10000"})
  public int services;

  private ClusterDns dns;
  private byte[][] queries;
  private int next;

  @Setup
  public void setUp() {
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      String ns = "ns" + (i % 100);
      String vip = "10.96." + (i / 250 + 1) + "." + (i % 250 + 1);
      objects.add(
          new ServiceBuilder()
              .withNewMetadata()
              .withName("svc" + i)
              .withNamespace(ns)
              .endMetadata()
              .withNewSpec()
              .withClusterIP(vip)
              .withClusterIPs(vip)
              .addNewPort()
              .withName("http")
              .withPort(80)
              .withProtocol("TCP")
              .endPort()
              .endSpec()
              .build());
      objects.add(
          new EndpointSliceBuilder()
              .withNewMetadata()
              .withName("svc" + i + "-1")
              .withNamespace(ns)
              .addToLabels("kubernetes.io/service-name", "svc" + i)
              .endMetadata()
              .withAddressType("IPv4")
              .addNewPort()
              .withName("http")
              .withPort(80)
              .withProtocol("TCP")
              .endPort()
              .addNewEndpoint()
              .withAddresses("10.244." + (i / 250 + 1) + "." + (i % 250 + 1))
              .endEndpoint()
              .build());
    }
    dns =
        new ClusterDns(
            ObjectCluster.of(objects),
            DnsOptions.kubeadm("cluster.local").withPods(PodMode.DISABLED),
            Optional.empty(),
            new ResponseCache(CacheSettings.kubeadm(), System::nanoTime),
            () -> 1L);
    queries = new byte[1000][];
    for (int i = 0; i < queries.length; i++) {
      int svc = i * 7 % services;
      String name =
          i % 10 == 0
              ? "missing" + i + ".ns1.svc.cluster.local"
              : "svc" + svc + ".ns" + (svc % 100) + ".svc.cluster.local";
      int type = i % 10 == 5 ? Type.SRV : Type.A;
      queries[i] =
          Message.newQuery(Record.newRecord(RecordFactory.name(name), type, DClass.IN)).toWire();
    }
  }

  @Benchmark
  public byte[] answerOneQuery() throws IOException {
    byte[] q = queries[next++ % queries.length];
    return WireFormat.encode(dns.handle(new Message(q)), 512);
  }
}
