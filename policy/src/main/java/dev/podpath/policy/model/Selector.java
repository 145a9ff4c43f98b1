package dev.podpath.policy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Kubernetes label selector: every {@code matchLabels} pair and every requirement must hold; the
 * empty selector matches everything. {@link #toString()} is the selector text kubectl prints
 * ({@code app=web,tier in (a,b)}).
 */
public record Selector(SortedMap<String, String> matchLabels, List<Requirement> requirements) {

  /** The selector that matches every label set. */
  public static final Selector EVERYTHING = new Selector(new TreeMap<>(), List.of());

  /** The four set-based operators. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String apiName;

    Operator(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  /** One {@code matchExpressions} entry. */
  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
      boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
      if (needsValues == values.isEmpty()) {
        throw new IllegalArgumentException(
            "requirement "
                + key
                + ": operator "
                + operator.apiName()
                + (needsValues ? " needs values" : " takes no values"));
      }
    }

    public boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case IN -> v != null && values.contains(v);
        case NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  public Selector {
    matchLabels = new TreeMap<>(matchLabels);
    requirements = List.copyOf(requirements);
  }

  /** A selector of {@code matchLabels} only. */
  public static Selector of(Map<String, String> labels) {
    return new Selector(new TreeMap<>(labels), List.of());
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && requirements.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (var r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "{}";
    }
    var parts = new ArrayList<String>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    requirements.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }
}
