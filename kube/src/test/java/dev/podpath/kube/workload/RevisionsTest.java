package dev.podpath.kube.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RevisionsTest {

  private static final StatefulSet SET =
      new StatefulSetBuilder()
          .withNewMetadata()
          .withName("db")
          .withNamespace("default")
          .withUid("set-uid")
          .addToAnnotations("kubernetes.io/change-cause", "pg 16")
          .endMetadata()
          .build();

  private static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", "db")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("pg")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  private static ControllerRevision stored(String image, long number) {
    return Revisions.plan(SET, template(image), List.of())
        .create()
        .map(r -> renumber(r, number))
        .orElseThrow();
  }

  private static ControllerRevision renumber(ControllerRevision r, long n) {
    return new ControllerRevisionBuilder(r).withRevision(n).build();
  }

  @Test
  void aNewTemplateIsANewRevisionNamedByItsHash() {
    Revisions.Plan p = Revisions.plan(SET, template("pg:16"), List.of());
    ControllerRevision r = p.create().orElseThrow();
    String hash = r.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(r.getMetadata().getName()).isEqualTo("db-" + hash);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
    assertThat(r.getRevision()).isEqualTo(1);
    assertThat(r.getMetadata().getLabels()).containsEntry("app", "db");
    assertThat(r.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "pg 16");
    assertThat(r.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("set-uid");
    @SuppressWarnings("unchecked")
    Map<String, Object> tpl =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) r.getData()).get("spec")).get("template");
    assertThat(tpl).containsEntry("$patch", "replace");
    assertThat(Rollouts.template(r)).isEqualTo(template("pg:16"));
  }

  @Test
  void theSameTemplateReusesItsRevisionAndAnOlderOneIsRenumbered() {
    ControllerRevision v16 = stored("pg:16", 1);
    ControllerRevision v17 = stored("pg:17", 2);
    Revisions.Plan same = Revisions.plan(SET, template("pg:17"), List.of(v16, v17));
    assertThat(same.create()).isEmpty();
    assertThat(same.renumber()).isEmpty();
    assertThat(same.update().getMetadata().getName()).isEqualTo(v17.getMetadata().getName());
    Revisions.Plan back = Revisions.plan(SET, template("pg:16"), List.of(v16, v17));
    assertThat(back.create()).isEmpty();
    assertThat(back.renumber().orElseThrow().getRevision()).isEqualTo(3);
    assertThat(back.update().getMetadata().getName()).isEqualTo(v16.getMetadata().getName());
    Revisions.Plan next = Revisions.plan(SET, template("pg:18"), List.of(v16, v17));
    assertThat(next.create().orElseThrow().getRevision()).isEqualTo(3);
  }

  @Test
  void statefulSetAndDaemonSetTruncateHistoryDifferently() {
    ControllerRevision r1 = stored("a", 1);
    ControllerRevision r2 = stored("b", 2);
    ControllerRevision r3 = stored("c", 3);
    ControllerRevision r4 = stored("d", 4);
    String h1 = r1.getMetadata().getLabels().get("controller-revision-hash");
    // StatefulSet: history = revisions nothing uses (r2, r3); keep 1 → delete r2
    assertThat(
            Revisions.truncateStatefulSet(
                List.of(r1, r2, r3, r4),
                Set.of(r1.getMetadata().getName(), r4.getMetadata().getName()),
                1))
        .containsExactly(r2);
    // DaemonSet: old = r1..r3, limit 1 → two to kill, oldest first, skipping r1 worn by a pod
    assertThat(Revisions.cleanupDaemonSet(List.of(r1, r2, r3), Set.of(h1), 1))
        .containsExactly(r2, r3);
  }
}
