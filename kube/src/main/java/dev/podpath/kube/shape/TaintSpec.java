package dev.podpath.kube.shape;

import java.util.List;

/** A node taint {@code key[=value]:Effect} as {@code kubectl taint} writes it. */
public record TaintSpec(String key, String value, String effect) {

  /** The effects the API accepts. */
  public static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public TaintSpec {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("TaintSpec.key must not be empty");
    }
    if (!EFFECTS.contains(effect)) {
      throw new IllegalArgumentException(
          "TaintSpec.effect must be one of " + EFFECTS + ", got \"" + effect + "\"");
    }
  }

  /** Parses {@code key=value:Effect} or {@code key:Effect}. */
  public static TaintSpec parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid taint spec: " + text);
    }
    String kv = text.substring(0, colon);
    int eq = kv.indexOf('=');
    return eq < 0
        ? new TaintSpec(kv, "", text.substring(colon + 1))
        : new TaintSpec(kv.substring(0, eq), kv.substring(eq + 1), text.substring(colon + 1));
  }

  @Override
  public String toString() {
    return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
  }
}
