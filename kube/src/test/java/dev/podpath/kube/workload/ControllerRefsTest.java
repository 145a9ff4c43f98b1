package dev.podpath.kube.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ControllerRefsTest {

  private static final ReplicaSet RS =
      new ReplicaSetBuilder()
          .withNewMetadata()
          .withName("web")
          .withNamespace("default")
          .withUid("rs-uid")
          .endMetadata()
          .build();

  private static final Predicate<Pod> APP_WEB =
      p -> "web".equals(p.getMetadata().getLabels().get("app"));

  private static Pod pod(String name, String app, String controllerUid, boolean deleting) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .addToLabels("app", app)
            .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null)
            .endMetadata();
    if (controllerUid != null) {
      b.editMetadata()
          .addNewOwnerReference()
          .withKind("ReplicaSet")
          .withName("x")
          .withUid(controllerUid)
          .withController(true)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void ownedMatchingStaysOrphansAreAdoptedNonMatchingOwnedAreReleased() {
    var claim =
        ControllerRefs.claim(
            RS,
            APP_WEB,
            List.of(
                pod("mine", "web", "rs-uid", false),
                pod("orphan", "web", null, false),
                pod("relabelled", "other", "rs-uid", false),
                pod("theirs", "web", "other-uid", false),
                pod("stranger", "other", null, false),
                pod("dying-orphan", "web", null, true)));
    assertThat(names(claim.owned())).containsExactly("mine", "orphan");
    assertThat(names(claim.adopt())).containsExactly("orphan");
    assertThat(names(claim.release())).containsExactly("relabelled");
  }

  @Test
  void anOwnerBeingDeletedNeitherAdoptsNorReleases() {
    ReplicaSet deleting =
        new ReplicaSetBuilder(RS)
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    var claim =
        ControllerRefs.claim(
            deleting,
            APP_WEB,
            List.of(
                pod("mine", "web", "rs-uid", false),
                pod("orphan", "web", null, false),
                pod("relabelled", "other", "rs-uid", false)));
    assertThat(names(claim.owned())).containsExactly("mine");
    assertThat(claim.adopt()).isEmpty();
    assertThat(claim.release()).isEmpty();
  }

  @Test
  void adoptionAddsABlockingControllerReferenceAndReleaseRemovesOnlyOurs() {
    Pod adopted = ControllerRefs.adopted(pod("orphan", "web", null, false), RS);
    OwnerReference ref = adopted.getMetadata().getOwnerReferences().getFirst();
    assertThat(ref.getUid()).isEqualTo("rs-uid");
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
    Pod twoOwners =
        new PodBuilder(adopted)
            .editMetadata()
            .addNewOwnerReference()
            .withKind("ConfigMap")
            .withName("c")
            .withUid("cm-uid")
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(ControllerRefs.released(twoOwners, RS).getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly("cm-uid");
  }
}
