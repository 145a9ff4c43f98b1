package dev.podpath.kube.scheduler;

import dev.podpath.kube.io.Json;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Nodes, pods and snapshots for scheduler tests; pod specs are written as compact YAML. */
final class Fixture {

  private Fixture() {}

  /** A node with hostname and, unless {@code zone} is null, zone labels; 4 cpus, 110 pods. */
  static Node node(String name, String zone, String... labels) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubernetes.io/hostname", name)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .withNewStatus()
            .addToAllocatable("cpu", new Quantity("4"))
            .addToAllocatable("pods", new Quantity("110"))
            .endStatus();
    if (zone != null) {
      b.editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata();
    }
    for (String l : labels) {
      String[] kv = l.split("=", 2);
      b.editMetadata().addToLabels(kv[0], kv[1]).endMetadata();
    }
    return b.build();
  }

  /** Three nodes: a and b in zone z1, c in zone z2. */
  static List<Node> threeNodes() {
    return List.of(node("a", "z1"), node("b", "z1"), node("c", "z2"));
  }

  /**
   * A pod from YAML flow text of its {@code metadata} and {@code spec} fields, e.g. {@code
   * pod("web-1", "labels: {app: web}", "nodeName: a")}; namespace default unless given.
   */
  static Pod pod(String name, String metadata, String spec) {
    String yaml =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: "
            + name
            + (metadata.isEmpty() ? "" : ", " + metadata)
            + "}\nspec: {containers: [{name: c, image: x}]"
            + (spec.isEmpty() ? "" : ", " + spec)
            + "}\n";
    try {
      Pod p = Json.YAML.readValue(yaml, Pod.class);
      if (p.getMetadata().getNamespace() == null) {
        p.getMetadata().setNamespace("default");
      }
      return p;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(yaml, e);
    }
  }

  /** {@code count} pods {@code prefix-i} with {@code labels} on {@code node}. */
  static List<Pod> on(String node, int count, String prefix, String metadata) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(pod(prefix + "-" + node + i, metadata, "nodeName: " + node));
    }
    return out;
  }

  static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  static ReplicaSet replicaSet(String name, String yamlSelector) {
    try {
      return Json.YAML.readValue(
          "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: "
              + name
              + ", namespace: default, uid: rs-uid}\nspec: {selector: "
              + yamlSelector
              + ", template: {metadata: {labels: {app: web}}}}\n",
          ReplicaSet.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String place(Pod pod, ClusterSnapshot s) {
    return switch (SchedulerPlanner.place(pod, s)) {
      case Placement.Bound b -> b.node();
      case Placement.Unschedulable u -> u.message();
    };
  }

  @SafeVarargs
  static List<Pod> all(List<Pod>... lists) {
    List<Pod> out = new ArrayList<>();
    for (List<Pod> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
