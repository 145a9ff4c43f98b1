package dev.podpath.kube.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The scheduler's filter plugins, each returning the reason a node fails, if it does. */
final class NodeFilters {

  static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
  static final String UNSCHEDULABLE = "node(s) were unschedulable";

  private NodeFilters() {}

  /** NodeUnschedulable: {@code spec.unschedulable} unless tolerated. */
  static Optional<String> unschedulable(Pod pod, Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      Taint t = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);
      if (!tolerated(pod, t)) {
        return Optional.of(UNSCHEDULABLE);
      }
    }
    return Optional.empty();
  }

  /** NodeAffinity: nodeSelector and required node affinity. */
  static Optional<String> affinity(Pod pod, Node node) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (var e : selector.entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return Optional.of(AFFINITY);
        }
      }
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity != null
        && affinity.getNodeAffinity() != null
        && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      List<NodeSelectorTerm> terms =
          affinity
              .getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms();
      boolean any = false;
      for (NodeSelectorTerm t : terms) {
        if (termMatches(t, node.getMetadata().getName(), labels)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return Optional.of(AFFINITY);
      }
    }
    return Optional.empty();
  }

  static boolean termMatches(NodeSelectorTerm t, String nodeName, Map<String, String> labels) {
    List<NodeSelectorRequirement> exprs = t.getMatchExpressions();
    List<NodeSelectorRequirement> fields = t.getMatchFields();
    if ((exprs == null || exprs.isEmpty()) && (fields == null || fields.isEmpty())) {
      return false; // an empty term selects no node
    }
    for (NodeSelectorRequirement r : exprs == null ? List.<NodeSelectorRequirement>of() : exprs) {
      if (!requirement(r, labels.get(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields == null ? List.<NodeSelectorRequirement>of() : fields) {
      String value = r.getKey().equals("metadata.name") ? nodeName : null;
      if (!requirement(r, value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean requirement(NodeSelectorRequirement r, String value) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> value != null && compare(r.getOperator(), value, values);
      default -> false;
    };
  }

  private static boolean compare(String op, String value, List<String> values) {
    try {
      long have = Long.parseLong(value);
      long want = Long.parseLong(values.getFirst());
      return op.equals("Gt") ? have > want : have < want;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate. */
  static Optional<String> taints(Pod pod, Node node) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return Optional.empty();
    }
    for (Taint t : node.getSpec().getTaints()) {
      if (("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
          && !tolerated(pod, t)) {
        return Optional.of(
            "node(s) had untolerated taint {"
                + t.getKey()
                + ": "
                + Objects.toString(t.getValue(), "")
                + "}");
      }
    }
    return Optional.empty();
  }

  static boolean tolerated(Pod pod, Taint taint) {
    List<Toleration> tolerations = pod.getSpec().getTolerations();
    return tolerations != null && tolerates(tolerations, taint);
  }

  /** v1helper.TolerationsTolerateTaint: whether any of the tolerations tolerates the taint. */
  static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      boolean effect =
          t.getEffect() == null
              || t.getEffect().isEmpty()
              || t.getEffect().equals(taint.getEffect());
      boolean key =
          t.getKey() == null || t.getKey().isEmpty()
              ? "Exists".equals(t.getOperator())
              : t.getKey().equals(taint.getKey());
      boolean value =
          "Exists".equals(t.getOperator())
              || Objects.equals(
                  Objects.toString(t.getValue(), ""), Objects.toString(taint.getValue(), ""));
      if (effect && key && value) {
        return true;
      }
    }
    return false;
  }
}
