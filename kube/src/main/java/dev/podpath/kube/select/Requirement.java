package dev.podpath.kube.select;

import java.util.List;
import java.util.Map;

/**
 * One requirement of a label selector ({@code labels.Requirement}): a key, an operator and its
 * values, kept sorted so that {@link #toString()} is the canonical string form.
 */
public record Requirement(String key, Operator operator, List<String> values) {

  public Requirement {
    values = values.stream().sorted().distinct().toList();
    switch (operator) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          throw new IllegalArgumentException("requirement " + key + ": 'in', 'notin' need values");
        }
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN -> {
        if (values.size() != 1) {
          throw new IllegalArgumentException("requirement " + key + ": exactly one value needed");
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("requirement " + key + ": values must be empty");
        }
      }
    }
  }

  /** Whether a set of labels satisfies this requirement (labels.Requirement.Matches). */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
      case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
      case GREATER_THAN, LESS_THAN -> value != null && compares(value);
    };
  }

  private boolean compares(String value) {
    try {
      long have = Long.parseLong(value);
      long want = Long.parseLong(values.getFirst());
      return operator == Operator.GREATER_THAN ? have > want : have < want;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    String joined = String.join(",", values);
    return switch (operator) {
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case IN -> key + " in (" + joined + ")";
      case NOT_IN -> key + " notin (" + joined + ")";
      case EQUALS -> key + "=" + joined;
      case DOUBLE_EQUALS -> key + "==" + joined;
      case NOT_EQUALS -> key + "!=" + joined;
      case GREATER_THAN -> key + ">" + joined;
      case LESS_THAN -> key + "<" + joined;
    };
  }
}
