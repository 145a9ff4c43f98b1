package dev.podpath.kube.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kube.alloc.ServiceAllocation;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.Selector;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiStoreTest {

  private final VirtualClock clock = new VirtualClock();
  private ApiStore store;

  @BeforeEach
  void setUp() {
    store = new ApiStore(clock);
    store.addAdmission(new ServiceAllocation(List.of(IpPrefix.parse("10.96.0.0/12")), 7));
    store.create(namespace("default"));
  }

  static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  static Pod pod(String name, String app, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("i")
        .endContainer()
        .endSpec()
        .build();
  }

  static Service service(String name, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", name)
        .addNewPort()
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  @Test
  void createFillsMetadataAndBumpsResourceVersion() {
    long before = store.resourceVersion();
    Pod p = store.create(pod("a", "web", "worker"));
    assertThat(p.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(p.getMetadata().getUid()).isNotEmpty();
    assertThat(p.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(Long.parseLong(p.getMetadata().getResourceVersion())).isEqualTo(before + 1);
    assertThatThrownBy(() -> store.create(pod("a", "web", "worker")))
        .isInstanceOf(ApiException.class)
        .hasMessage("pods \"a\" already exists");
  }

  @Test
  void generateNameAppendsFiveCharacters() {
    Pod p =
        new PodBuilder(pod("x", "web", "w"))
            .editMetadata()
            .withName(null)
            .withGenerateName("web-")
            .endMetadata()
            .build();
    Pod a = store.create(p);
    Pod b = store.create(p);
    assertThat(a.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(b.getMetadata().getName()).isNotEqualTo(a.getMetadata().getName());
  }

  @Test
  void staleResourceVersionIsAConflict() {
    Pod a = store.create(pod("a", "web", "w"));
    Pod newer = new PodBuilder(a).editMetadata().addToLabels("v", "2").endMetadata().build();
    store.update(newer);
    Pod stale = new PodBuilder(a).editMetadata().addToLabels("v", "3").endMetadata().build();
    assertThatThrownBy(() -> store.update(stale))
        .hasMessage(
            "Operation cannot be fulfilled on pods \"a\": the object has been modified;"
                + " please apply your changes to the latest version and try again");
  }

  @Test
  void missingNamespaceIsNotFound() {
    Pod p =
        new PodBuilder(pod("a", "web", "w"))
            .editMetadata()
            .withNamespace("nope")
            .endMetadata()
            .build();
    assertThatThrownBy(() -> store.create(p))
        .isInstanceOf(ApiException.class)
        .hasMessage("namespaces \"nope\" not found");
  }

  @Test
  void listFiltersByLabelsAndFields() {
    store.create(pod("a", "web", "w1"));
    store.create(pod("b", "web", "w2"));
    store.create(pod("c", "db", "w1"));
    assertThat(
            store.list(
                Pod.class, "default", LabelSelectors.parse("app=web"), FieldSelector.everything()))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("a", "b");
    assertThat(
            store.list(
                Pod.class, null, Selector.everything(), FieldSelector.parse("spec.nodeName=w1")))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("a", "c");
    assertThatThrownBy(
            () ->
                store.list(
                    Service.class,
                    null,
                    Selector.everything(),
                    FieldSelector.parse("spec.nodeName=w1")))
        .hasMessage("field label not supported: spec.nodeName");
  }

  @Test
  void watchFromResourceVersionReplaysAndSizesEvents() {
    long start = store.resourceVersion();
    store.create(pod("a", "web", "w"));
    List<WatchEvent> seen = new ArrayList<>();
    Watch w =
        store.watch(
            "test",
            Kind.POD,
            null,
            Selector.everything(),
            FieldSelector.everything(),
            Optional.of(start),
            seen::add);
    store.delete(ObjectKey.of(Kind.POD, "default", "a"), 0L);
    assertThat(seen)
        .extracting(WatchEvent::type)
        .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.DELETED);
    long expected = seen.stream().mapToLong(WatchEvent::bytes).sum();
    assertThat(w.stats()).isEqualTo(new WatchStats(2, expected));
    String json = dev.podpath.kube.io.Json.write(seen.getFirst().object());
    assertThat(seen.getFirst().bytes())
        .isEqualTo(json.length() + "{\"type\":\"ADDED\",\"object\":}\n".length());
  }

  @Test
  void labelWatchSeesObjectsLeaveAndEnterAsDeletedAndAdded() {
    Pod a = store.create(pod("a", "web", "w"));
    List<WatchEvent> seen = new ArrayList<>();
    store.watch(
        "t",
        Kind.POD,
        "default",
        LabelSelectors.parse("app=web"),
        FieldSelector.everything(),
        Optional.empty(),
        seen::add);
    Pod moved =
        store.update(
            new PodBuilder(a).editMetadata().addToLabels("app", "db").endMetadata().build());
    store.update(
        new PodBuilder(moved).editMetadata().addToLabels("app", "web").endMetadata().build());
    assertThat(seen)
        .extracting(WatchEvent::type)
        .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.DELETED, WatchEvent.Type.ADDED);
  }

  @Test
  void scheduledPodsTerminateGracefullyOnTheVirtualClock() {
    store.create(
        new PodBuilder(pod("a", "web", "w"))
            .editSpec()
            .withTerminationGracePeriodSeconds(10L)
            .endSpec()
            .build());
    ObjectKey key = ObjectKey.of(Kind.POD, "default", "a");
    store.delete(key);
    Pod terminating = (Pod) store.get(key).orElseThrow();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:10Z");
    clock.advance(Duration.ofSeconds(9));
    assertThat(store.get(key)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get(key)).isEmpty();
  }

  @Test
  void unscheduledPodsGoAtOnce() {
    store.create(pod("a", "web", null));
    store.delete(ObjectKey.of(Kind.POD, "default", "a"));
    assertThat(store.count(Kind.POD)).isZero();
  }

  @Test
  void invalidServiceIsRejectedWithTheApiServersMessage() {
    assertThatThrownBy(() -> store.create(service("web", 70000)))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "Service \"web\" is invalid: spec.ports[0].port: Invalid value: 70000:"
                + " must be between 1 and 65535, inclusive");
    assertThat(store.count(Kind.SERVICE)).isZero();
  }

  @Test
  void servicesGetClusterIpsAndNodePorts() {
    Service s = store.create(service("web", 80));
    assertThat(s.getSpec().getClusterIP()).startsWith("10.");
    assertThat(
            IpPrefix.parse("10.96.0.0/12")
                .contains(dev.podpath.net.IpAddress.parse(s.getSpec().getClusterIP())))
        .isTrue();
    assertThat(s.getSpec().getIpFamilies()).containsExactly("IPv4");
    assertThat(s.getSpec().getPorts().getFirst().getTargetPort().getIntVal()).isEqualTo(80);
    Service np =
        new ServiceBuilder(service("np", 80))
            .editSpec()
            .withType("NodePort")
            .editFirstPort()
            .withNodePort(30080)
            .endPort()
            .endSpec()
            .build();
    store.create(np);
    Service clash =
        new ServiceBuilder(service("np2", 80))
            .editSpec()
            .withType("NodePort")
            .editFirstPort()
            .withNodePort(30080)
            .endPort()
            .endSpec()
            .build();
    assertThatThrownBy(() -> store.create(clash))
        .hasMessage(
            "Service \"np2\" is invalid:"
                + " spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    Service fixedIp =
        new ServiceBuilder(service("fixed", 80))
            .editSpec()
            .withClusterIP(s.getSpec().getClusterIP())
            .endSpec()
            .build();
    assertThatThrownBy(() -> store.create(fixedIp))
        .hasMessageContaining("provided IP is already allocated");
    store.delete(ObjectKey.of(Kind.SERVICE, "default", "web"));
    assertThat(store.create(fixedIp).getSpec().getClusterIP())
        .isEqualTo(s.getSpec().getClusterIP());
  }

  @Test
  void watchesWithEqualFiltersEachSeeAndCountTheSameEvents() {
    Pod a = store.create(pod("a", "web", "w"));
    List<List<WatchEvent>> seen = new ArrayList<>();
    List<Watch> watches = new ArrayList<>();
    for (String sel : List.of("app=web", "app=web", "app=db", "app=web")) {
      List<WatchEvent> mine = new ArrayList<>();
      seen.add(mine);
      watches.add(
          store.watch(
              "proxy-" + watches.size(),
              Kind.POD,
              "default",
              LabelSelectors.parse(sel),
              FieldSelector.everything(),
              Optional.of(store.resourceVersion()),
              mine::add));
    }
    store.update(new PodBuilder(a).editMetadata().addToLabels("app", "db").endMetadata().build());
    for (int i : new int[] {0, 1, 3}) {
      assertThat(seen.get(i)).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.DELETED);
      assertThat(watches.get(i).stats()).isEqualTo(watches.get(0).stats());
    }
    assertThat(seen.get(2)).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.ADDED);
    assertThat(watches.get(2).stats().bytes() - watches.get(0).stats().bytes())
        .isEqualTo("ADDED".length() - "DELETED".length());
  }

  @Test
  void aLimitedHistoryServesOnlyRecentResourceVersions() {
    long start = store.resourceVersion();
    store.create(pod("a", "web", "w"));
    store.create(pod("b", "web", "w"));
    long beforeLast = store.resourceVersion();
    store.create(pod("c", "web", "w"));
    store.limitHistory(1);
    assertThatThrownBy(
            () ->
                store.watch(
                    "t",
                    Kind.POD,
                    null,
                    Selector.everything(),
                    FieldSelector.everything(),
                    Optional.of(start),
                    e -> {}))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("too old resource version");
    List<WatchEvent> seen = new ArrayList<>();
    store.watch(
        "t",
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.everything(),
        Optional.of(beforeLast),
        seen::add);
    assertThat(seen).extracting(e -> e.object().getMetadata().getName()).containsExactly("c");
  }
}
