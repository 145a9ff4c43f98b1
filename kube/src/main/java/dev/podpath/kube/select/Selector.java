package dev.podpath.kube.select;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A label selector ({@code labels.Selector}): either {@link Nothing}, which matches no object, or a
 * conjunction of {@link Requirement}s, which matches every object when it has none.
 */
public sealed interface Selector permits Selector.Nothing, Selector.All {

  /** Matches no labels at all ({@code labels.Nothing()}). */
  record Nothing() implements Selector {
    @Override
    public boolean matches(Map<String, String> labels) {
      return false;
    }

    @Override
    public String toString() {
      return "";
    }
  }

  /** Matches labels satisfying every requirement; with none, matches everything. */
  record All(List<Requirement> requirements) implements Selector {
    public All {
      requirements = requirements.stream().sorted(Comparator.comparing(Requirement::key)).toList();
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      for (Requirement r : requirements) {
        if (!r.matches(labels)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }
  }

  /** Whether {@code labels} are selected. */
  boolean matches(Map<String, String> labels);

  /** The selector that selects every object. */
  static Selector everything() {
    return new All(List.of());
  }

  /** The selector that selects no object. */
  static Selector nothing() {
    return new Nothing();
  }

  /** Whether this selector selects every object (no requirement at all). */
  default boolean isEverything() {
    return this instanceof All all && all.requirements().isEmpty();
  }
}
