package dev.podpath.bench.kube;

import dev.podpath.kube.endpoints.EndpointSlicePlanner;
import dev.podpath.kube.endpoints.SlicePlan;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The cost of one EndpointSlice reconcile of a Service with many pods when one pod changed: the
 * controller's work per pod event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EndpointSlicePlannerBench {

  @Param({"100", "1000", "5000"})
  int pods;

  private Service svc;
  private List<Pod> podList;
  private List<EndpointSlice> slices;
  private Map<String, Node> nodes;

  @Setup
  public void setUp() {
    svc =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .withUid("svc")
            .endMetadata()
            .withNewSpec()
            .withClusterIP("10.96.0.10")
            .withIpFamilies("IPv4")
            .addToSelector("app", "web")
            .addNewPort()
            .withName("http")
            .withPort(80)
            .withProtocol("TCP")
            .withTargetPort(new IntOrString(8080))
            .endPort()
            .endSpec()
            .build();
    nodes =
        Map.of("node", new NodeBuilder().withNewMetadata().withName("node").endMetadata().build());
    podList = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      podList.add(
          new PodBuilder()
              .withNewMetadata()
              .withName("web-" + i)
              .withNamespace("default")
              .withUid("uid-" + i)
              .addToLabels("app", "web")
              .endMetadata()
              .withNewSpec()
              .withNodeName("node")
              .addNewContainer()
              .withName("c")
              .endContainer()
              .endSpec()
              .withNewStatus()
              .withPhase("Running")
              .withPodIP("10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256))
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .endStatus()
              .build());
    }
    SlicePlan first =
        EndpointSlicePlanner.plan(
            new EndpointSlicePlanner.Input(svc, podList, nodes, List.of(), 100, null));
    slices = new ArrayList<>();
    int n = 0;
    for (EndpointSlice s : first.creates()) {
      slices.add(
          new EndpointSliceBuilder(s)
              .editMetadata()
              .withName("web-" + n++)
              .withGenerateName(null)
              .endMetadata()
              .build());
    }
    Pod changed =
        new PodBuilder(podList.getFirst())
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build();
    podList.set(0, changed);
  }

  @Benchmark
  public SlicePlan reconcileAfterOnePodChange() {
    return EndpointSlicePlanner.plan(
        new EndpointSlicePlanner.Input(svc, podList, nodes, slices, 100, null));
  }
}
