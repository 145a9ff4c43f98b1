package dev.podpath.kube.validate;

import dev.podpath.kube.model.Kind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates what podpath relies on, in the API server's words: names, labels, selectors, ports and
 * protocols, IPs and CIDRs, DaemonSet and StatefulSet rolling-update parameters. Returns every
 * problem, empty when the object is valid.
 */
public final class Validator {

  private Validator() {}

  /** All field errors of {@code object}. */
  public static List<FieldError> validate(HasMetadata object) {
    Errors e = new Errors();
    Kind kind = Kind.of(object);
    var meta = object.getMetadata();
    if (meta == null
        || ((meta.getName() == null || meta.getName().isEmpty())
            && (meta.getGenerateName() == null || meta.getGenerateName().isEmpty()))) {
      e.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      e.name("metadata.name", meta.getName(), nameRule(kind));
      e.labels("metadata.labels", meta.getLabels());
      if (meta.getNamespace() != null && !meta.getNamespace().isEmpty()) {
        e.name("metadata.namespace", meta.getNamespace(), Errors.NameRule.DNS1123_LABEL);
      }
    }
    switch (object) {
      case Pod p -> podSpec(e, "spec", p.getSpec());
      case Deployment d ->
          workload(
              e,
              d.getSpec() == null ? null : d.getSpec().getSelector(),
              d.getSpec() == null ? null : d.getSpec().getTemplate(),
              d.getSpec() == null ? null : d.getSpec().getReplicas(),
              "deployment");
      case ReplicaSet r ->
          workload(
              e,
              r.getSpec() == null ? null : r.getSpec().getSelector(),
              r.getSpec() == null ? null : r.getSpec().getTemplate(),
              r.getSpec() == null ? null : r.getSpec().getReplicas(),
              "replicaset");
      case StatefulSet s -> {
        workload(
            e,
            s.getSpec() == null ? null : s.getSpec().getSelector(),
            s.getSpec() == null ? null : s.getSpec().getTemplate(),
            s.getSpec() == null ? null : s.getSpec().getReplicas(),
            "statefulset");
        RollingUpdateValidation.statefulSet(e, s);
      }
      case DaemonSet d -> {
        workload(
            e,
            d.getSpec() == null ? null : d.getSpec().getSelector(),
            d.getSpec() == null ? null : d.getSpec().getTemplate(),
            0,
            "daemonset");
        RollingUpdateValidation.daemonSet(e, d);
      }
      case Node n -> {
        if (n.getSpec() != null) {
          e.cidr("spec.podCIDR", n.getSpec().getPodCIDR());
        }
      }
      default -> NetworkValidation.validate(e, object);
    }
    return e.list;
  }

  private static Errors.NameRule nameRule(Kind kind) {
    return switch (kind) {
      case SERVICE -> Errors.NameRule.DNS1035_LABEL;
      case NAMESPACE -> Errors.NameRule.DNS1123_LABEL;
      default -> Errors.NameRule.SUBDOMAIN;
    };
  }

  static void podSpec(Errors e, String path, @Nullable PodSpec spec) {
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
      e.add(FieldError.required(path + ".containers", ""));
      return;
    }
    Set<String> portNames = new HashSet<>();
    List<Container> containers = spec.getContainers();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String cp = path + ".containers[" + i + "]";
      if (c.getName() == null || c.getName().isEmpty()) {
        e.add(FieldError.required(cp + ".name", ""));
      }
      List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
      for (int j = 0; j < ports.size(); j++) {
        ContainerPort p = ports.get(j);
        String pp = cp + ".ports[" + j + "]";
        e.port(pp + ".containerPort", p.getContainerPort());
        e.protocol(pp + ".protocol", p.getProtocol());
        e.portName(pp + ".name", p.getName());
        if (p.getName() != null && !p.getName().isEmpty() && !portNames.add(p.getName())) {
          e.add(FieldError.duplicate(pp + ".name", p.getName()));
        }
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          e.port(pp + ".hostPort", p.getHostPort());
        }
      }
    }
    if (spec.getHostname() != null && !spec.getHostname().isEmpty()) {
      e.name(path + ".hostname", spec.getHostname(), Errors.NameRule.DNS1123_LABEL);
    }
    if (spec.getSubdomain() != null && !spec.getSubdomain().isEmpty()) {
      e.name(path + ".subdomain", spec.getSubdomain(), Errors.NameRule.DNS1123_LABEL);
    }
    if (spec.getNodeSelector() != null) {
      e.labels(path + ".nodeSelector", spec.getNodeSelector());
    }
  }

  /** matchLabels and matchExpressions against labels; a bad operator is an error. */
  private static boolean selects(Errors e, LabelSelector selector, Map<String, String> labels) {
    boolean all = true;
    if (selector.getMatchLabels() != null) {
      for (var m : selector.getMatchLabels().entrySet()) {
        all &= m.getValue().equals(labels.get(m.getKey()));
      }
    }
    var exprs =
        selector.getMatchExpressions() == null
            ? List.<io.fabric8.kubernetes.api.model.LabelSelectorRequirement>of()
            : selector.getMatchExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      var x = exprs.get(i);
      String have = labels.get(x.getKey());
      List<String> values = x.getValues() == null ? List.of() : x.getValues();
      switch (String.valueOf(x.getOperator())) {
        case "In" -> all &= have != null && values.contains(have);
        case "NotIn" -> all &= have == null || !values.contains(have);
        case "Exists" -> all &= have != null;
        case "DoesNotExist" -> all &= have == null;
        default -> {
          e.add(
              FieldError.notSupported(
                  "spec.selector.matchExpressions[" + i + "].operator",
                  String.valueOf(x.getOperator()),
                  List.of("DoesNotExist", "Exists", "In", "NotIn")));
          return true;
        }
      }
    }
    return all;
  }

  private static void workload(
      Errors e,
      @Nullable LabelSelector selector,
      @Nullable PodTemplateSpec template,
      @Nullable Integer replicas,
      String what) {
    if (replicas != null && replicas < 0) {
      e.add(FieldError.invalid("spec.replicas", replicas, "must be greater than or equal to 0"));
    }
    if (selector == null) {
      e.add(FieldError.required("spec.selector", ""));
    } else if ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())) {
      e.add(FieldError.invalid("spec.selector", "{}", "empty selector is invalid for " + what));
    }
    if (template == null) {
      e.add(FieldError.required("spec.template", ""));
      return;
    }
    Map<String, String> labels =
        template.getMetadata() == null || template.getMetadata().getLabels() == null
            ? Map.of()
            : template.getMetadata().getLabels();
    e.labels("spec.template.metadata.labels", labels);
    if (selector != null && !selects(e, selector, labels)) {
      e.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              labels.toString(),
              "`selector` does not match template `labels`"));
    }
    podSpec(e, "spec.template.spec", template.getSpec());
  }
}
