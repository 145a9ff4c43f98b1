package dev.podpath.kube.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.jspecify.annotations.Nullable;

/** maxSurge / maxUnavailable resolution ({@code intstr.GetScaledValueFromIntOrPercent}). */
public final class RollingMath {

  private RollingMath() {}

  /** An int, or a percentage of {@code total} rounded up or down; {@code dflt} when absent. */
  public static int resolve(@Nullable IntOrString v, int total, boolean roundUp, String dflt) {
    String text = v == null ? dflt : v.getIntVal() != null ? null : v.getStrVal();
    if (text == null) {
      return v.getIntVal();
    }
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    double pct = Double.parseDouble(text.substring(0, text.length() - 1));
    double raw = pct * total / 100.0;
    return (int) (roundUp ? Math.ceil(raw) : Math.floor(raw));
  }

  /** maxSurge and maxUnavailable for {@code replicas}; both 0 means maxUnavailable 1. */
  public static int[] surgeAndUnavailable(
      @Nullable IntOrString surge, @Nullable IntOrString unavailable, int replicas) {
    int s = resolve(surge, replicas, true, "25%");
    int u = resolve(unavailable, replicas, false, "25%");
    if (s == 0 && u == 0) {
      u = 1;
    }
    return new int[] {s, u};
  }
}
