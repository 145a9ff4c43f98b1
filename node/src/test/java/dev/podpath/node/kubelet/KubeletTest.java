package dev.podpath.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.World;
import dev.podpath.kube.loop.ControlLoop;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeletTest {

  private World world;
  private ApiStore store;
  private ControlLoop loop;
  private Kubelet kubelet;

  @BeforeEach
  void setUp() throws Exception {
    world = new World();
    var host = world.addHost("worker");
    store = new ApiStore(world.clock());
    loop = new ControlLoop(store);
    kubelet =
        new Kubelet(
            "worker",
            IpAddress.parse("172.18.0.3"),
            PodSandboxesTest.sandboxes(host, "10.244.1.0/24", ""));
    loop.add(kubelet);
    store.create(
        new io.fabric8.kubernetes.api.model.NamespaceBuilder()
            .withNewMetadata()
            .withName("default")
            .endMetadata()
            .build());
  }

  private static Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("nginx")
        .endContainer()
        .endSpec()
        .build();
  }

  private Pod get(String name) {
    return store.get(Pod.class, "default", name).orElseThrow();
  }

  @Test
  void aBoundPodGetsASandboxAndBecomesRunningAndReady() {
    store.create(pod("web", "worker"));
    store.create(pod("elsewhere", "worker2"));
    loop.settle();
    var web = get("web");
    assertThat(web.getStatus().getPhase()).isEqualTo("Running");
    assertThat(web.getStatus().getPodIP()).isEqualTo("10.244.1.2");
    assertThat(web.getStatus().getHostIP()).isEqualTo("172.18.0.3");
    assertThat(web.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Ready"))
        .extracting(PodCondition::getStatus)
        .containsExactly("True");
    assertThat(world.host("worker").findNamespace("cni-default-web")).isPresent();
    assertThat(get("elsewhere").getStatus()).isNull();
    assertThat(kubelet.failures()).isEmpty();
  }

  @Test
  void watchersSeeThePodBecomeReady() {
    var seen = new java.util.ArrayList<String>();
    store.watch(
        "test",
        dev.podpath.kube.model.Kind.POD,
        null,
        dev.podpath.kube.select.Selector.everything(),
        dev.podpath.kube.select.FieldSelector.everything(),
        java.util.Optional.empty(),
        e ->
            seen.add(
                e.type()
                    + " "
                    + (((Pod) e.object()).getStatus() == null
                        ? "-"
                        : ((Pod) e.object()).getStatus().getPodIP())));
    store.create(pod("web", "worker"));
    loop.settle();
    assertThat(seen).contains("MODIFIED 10.244.1.2");
  }

  @Test
  void deletingAPodTearsTheSandboxDownAndConfirmsTheDeletion() {
    store.create(pod("web", "worker"));
    loop.settle();
    store.delete(ObjectKey.of(get("web")));
    loop.settle();
    assertThat(store.get(Pod.class, "default", "web")).isEmpty();
    assertThat(world.host("worker").findNamespace("cni-default-web")).isEmpty();
  }

  @Test
  void hostNetworkPodsCarryTheNodeAddressAndGetNoSandbox() {
    var p = pod("agent", "worker");
    p.getSpec().setHostNetwork(true);
    store.create(p);
    loop.settle();
    assertThat(get("agent").getStatus().getPodIP()).isEqualTo("172.18.0.3");
    assertThat(world.host("worker").findNamespace("cni-default-agent")).isEmpty();
  }

  @Test
  void aPodFromALiveDumpKeepsItsAddressAndConditions() {
    var p = pod("dumped", "worker");
    p.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("10.244.1.77")
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .build());
    store.create(p);
    loop.settle();
    var after = get("dumped");
    assertThat(after.getStatus().getPodIP()).isEqualTo("10.244.1.77");
    assertThat(after.getStatus().getConditions())
        .extracting(PodCondition::getStatus)
        .containsExactly("False");
    var ns = world.host("worker").namespace("cni-default-dumped");
    assertThat(ns.routing().addresses("eth0"))
        .filteredOn(a -> a.family() == dev.podpath.net.IpFamily.IPV4)
        .extracting(a -> a.prefix().toString())
        .containsExactly("10.244.1.77/24");
  }
}
