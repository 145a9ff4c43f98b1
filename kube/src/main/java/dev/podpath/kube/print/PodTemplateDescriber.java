package dev.podpath.kube.print;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod template as {@code kubectl describe} writes it ({@code DescribePodTemplate}), which is what
 * {@code kubectl rollout history --revision=N} prints: labels, annotations, service account,
 * containers (image, ports, host ports, command, args, limits, requests, environment, mounts),
 * volumes (emptyDir, configMap, persistentVolumeClaim; others by name), node selectors and
 * tolerations, with describe's indentation and tabs. Probes and less common fields are left out.
 */
public final class PodTemplateDescriber {

  private PodTemplateDescriber() {}

  /** The description, ending with a newline. */
  public static String describe(PodTemplateSpec template) {
    StringBuilder w = new StringBuilder("Pod Template:\n");
    var meta = template.getMetadata();
    multiline(w, "  Labels", meta == null ? null : meta.getLabels(), "=");
    if (meta != null && meta.getAnnotations() != null && !meta.getAnnotations().isEmpty()) {
      multiline(w, "  Annotations", meta.getAnnotations(), ": ");
    }
    var spec = template.getSpec();
    if (spec == null) {
      return w.toString();
    }
    if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()) {
      w.append("  Service Account:\t").append(spec.getServiceAccountName()).append('\n');
    }
    if (!spec.getInitContainers().isEmpty()) {
      containers(w, "Init Containers", spec.getInitContainers());
    }
    containers(w, "Containers", spec.getContainers());
    volumes(w, spec.getVolumes());
    if (spec.getPriorityClassName() != null && !spec.getPriorityClassName().isEmpty()) {
      w.append("  Priority Class Name:\t").append(spec.getPriorityClassName()).append('\n');
    }
    multiline(w, "  Node-Selectors", spec.getNodeSelector(), "=");
    tolerations(w, spec.getTolerations());
    return w.toString();
  }

  private static void multiline(
      StringBuilder w, String title, Map<String, String> values, String separator) {
    w.append(title).append(":\t");
    if (values == null || values.isEmpty()) {
      w.append("<none>\n");
      return;
    }
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      if (!first) {
        w.append('\t');
      }
      first = false;
      w.append(e.getKey()).append(separator).append(e.getValue()).append('\n');
    }
  }

  private static void containers(StringBuilder w, String title, List<Container> containers) {
    w.append("  ").append(title).append(":\n");
    for (Container c : containers) {
      w.append("   ").append(c.getName()).append(":\n");
      w.append("    Image:\t").append(c.getImage()).append('\n');
      List<String> ports = new ArrayList<>();
      List<String> hostPorts = new ArrayList<>();
      for (ContainerPort p : c.getPorts()) {
        String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
        ports.add(p.getContainerPort() + "/" + proto);
        hostPorts.add((p.getHostPort() == null ? 0 : p.getHostPort()) + "/" + proto);
      }
      w.append(ports.size() > 1 ? "    Ports:\t" : "    Port:\t")
          .append(ports.isEmpty() ? "<none>" : String.join(", ", ports))
          .append('\n');
      w.append(hostPorts.size() > 1 ? "    Host Ports:\t" : "    Host Port:\t")
          .append(hostPorts.isEmpty() ? "<none>" : String.join(", ", hostPorts))
          .append('\n');
      lines(w, "Command", c.getCommand());
      lines(w, "Args", c.getArgs());
      if (c.getResources() != null) {
        resources(w, "Limits", c.getResources().getLimits());
        resources(w, "Requests", c.getResources().getRequests());
      }
      w.append("    Environment:").append(c.getEnv().isEmpty() ? "\t<none>" : "").append('\n');
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() == null) {
          String[] parts = String.valueOf(e.getValue() == null ? "" : e.getValue()).split("\n", -1);
          for (int i = 0; i < parts.length; i++) {
            w.append("      ")
                .append(i == 0 ? e.getName() + ":\t" : "\t")
                .append(parts[i])
                .append('\n');
          }
        } else {
          w.append("      ").append(e.getName()).append(":\t<set from a source>\n");
        }
      }
      w.append("    Mounts:").append(c.getVolumeMounts().isEmpty() ? "\t<none>" : "").append('\n');
      List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
      mounts.sort(Comparator.comparing(VolumeMount::getMountPath));
      for (VolumeMount m : mounts) {
        List<String> flags = new ArrayList<>();
        flags.add(Boolean.TRUE.equals(m.getReadOnly()) ? "ro" : "rw");
        if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
          flags.add("path=\"" + m.getSubPath() + "\"");
        }
        w.append("      ")
            .append(m.getMountPath())
            .append(" from ")
            .append(m.getName())
            .append(" (")
            .append(String.join(",", flags))
            .append(")\n");
      }
    }
  }

  private static void lines(StringBuilder w, String title, List<String> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    w.append("    ").append(title).append(":\n");
    for (String v : values) {
      for (String s : v.split("\n", -1)) {
        w.append("      ").append(s).append('\n');
      }
    }
  }

  private static void resources(StringBuilder w, String title, Map<String, Quantity> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    w.append("    ").append(title).append(":\n");
    for (Map.Entry<String, Quantity> e : new TreeMap<>(values).entrySet()) {
      w.append("      ").append(e.getKey()).append(":\t").append(e.getValue()).append('\n');
    }
  }

  private static void volumes(StringBuilder w, List<Volume> volumes) {
    if (volumes.isEmpty()) {
      w.append("  Volumes:\t<none>\n");
      return;
    }
    w.append("  Volumes:\n");
    for (Volume v : volumes) {
      w.append("   ").append(v.getName()).append(":\n");
      if (v.getEmptyDir() != null) {
        w.append("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
            .append("    Medium:\t")
            .append(v.getEmptyDir().getMedium() == null ? "" : v.getEmptyDir().getMedium())
            .append("\n    SizeLimit:\t")
            .append(
                v.getEmptyDir().getSizeLimit() == null
                    ? "<unset>"
                    : v.getEmptyDir().getSizeLimit().toString())
            .append('\n');
      } else if (v.getConfigMap() != null) {
        w.append("    Type:\tConfigMap (a volume populated by a ConfigMap)\n")
            .append("    Name:\t")
            .append(v.getConfigMap().getName())
            .append("\n    Optional:\t")
            .append(Boolean.TRUE.equals(v.getConfigMap().getOptional()))
            .append('\n');
      } else if (v.getPersistentVolumeClaim() != null) {
        w.append(
                "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the"
                    + " same namespace)\n")
            .append("    ClaimName:\t")
            .append(v.getPersistentVolumeClaim().getClaimName())
            .append("\n    ReadOnly:\t")
            .append(Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()))
            .append('\n');
      } else {
        w.append("  <unknown>\n");
      }
    }
  }

  private static void tolerations(StringBuilder w, List<Toleration> tolerations) {
    w.append("  Tolerations:\t");
    if (tolerations.isEmpty()) {
      w.append("<none>\n");
      return;
    }
    boolean first = true;
    for (Toleration t : tolerations) {
      if (!first) {
        w.append('\t');
      }
      first = false;
      String key = t.getKey() == null ? "" : t.getKey();
      String value = t.getValue() == null ? "" : t.getValue();
      String effect = t.getEffect() == null ? "" : t.getEffect();
      w.append(key);
      if (!value.isEmpty()) {
        w.append('=').append(value);
      }
      if (!effect.isEmpty()) {
        w.append(':').append(effect);
      }
      if ("Exists".equals(t.getOperator()) && value.isEmpty()) {
        w.append(key.isEmpty() && effect.isEmpty() ? "op=Exists" : " op=Exists");
      }
      if (t.getTolerationSeconds() != null) {
        w.append(" for ").append(t.getTolerationSeconds()).append('s');
      }
      w.append('\n');
    }
  }
}
