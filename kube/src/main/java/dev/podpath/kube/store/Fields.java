package dev.podpath.kube.store;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.SelectorParseException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The fields each kind can be selected by, as the API server's field label conversions allow. */
public final class Fields {

  private static final List<String> COMMON = List.of("metadata.name", "metadata.namespace");
  private static final List<String> POD =
      List.of(
          "spec.nodeName",
          "spec.restartPolicy",
          "spec.schedulerName",
          "spec.serviceAccountName",
          "spec.hostNetwork",
          "status.phase",
          "status.podIP",
          "status.nominatedNodeName");

  private Fields() {}

  /** The selectable fields of an object and their values. */
  public static Map<String, String> of(HasMetadata o) {
    Map<String, String> f = new TreeMap<>();
    f.put("metadata.name", Objects.toString(o.getMetadata().getName(), ""));
    f.put("metadata.namespace", Objects.toString(o.getMetadata().getNamespace(), ""));
    if (o instanceof Pod p) {
      var spec = p.getSpec();
      if (spec != null) {
        f.put("spec.nodeName", Objects.toString(spec.getNodeName(), ""));
        f.put("spec.restartPolicy", Objects.toString(spec.getRestartPolicy(), ""));
        f.put("spec.schedulerName", Objects.toString(spec.getSchedulerName(), ""));
        f.put("spec.serviceAccountName", Objects.toString(spec.getServiceAccountName(), ""));
        f.put("spec.hostNetwork", String.valueOf(Boolean.TRUE.equals(spec.getHostNetwork())));
      }
      if (p.getStatus() != null) {
        f.put("status.phase", Objects.toString(p.getStatus().getPhase(), ""));
        f.put("status.podIP", Objects.toString(p.getStatus().getPodIP(), ""));
        f.put(
            "status.nominatedNodeName", Objects.toString(p.getStatus().getNominatedNodeName(), ""));
      }
    } else if (o instanceof Node n && n.getSpec() != null) {
      f.put(
          "spec.unschedulable",
          String.valueOf(Boolean.TRUE.equals(n.getSpec().getUnschedulable())));
    }
    return f;
  }

  /** Checks that every field of {@code selector} is selectable for {@code kind}. */
  public static void check(Kind kind, FieldSelector selector) {
    for (FieldSelector.Term t : selector.terms()) {
      boolean ok =
          COMMON.contains(t.field())
              || (kind == Kind.POD && POD.contains(t.field()))
              || (kind == Kind.NODE && t.field().equals("spec.unschedulable"));
      if (!ok) {
        throw new SelectorParseException("field label not supported: " + t.field());
      }
    }
  }
}
