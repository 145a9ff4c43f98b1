package dev.podpath.kube.select;

import dev.podpath.kube.validate.Names;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Label selectors as the API defines them.
 *
 * <ul>
 *   <li>{@link #fromLabelSelector}: a {@code metav1.LabelSelector} (matchLabels and
 *       matchExpressions); {@code null} selects nothing, an empty one everything ({@code
 *       LabelSelectorAsSelector}). Deployments, ReplicaSets, NetworkPolicy podSelector.
 *   <li>{@link #fromMap}: a plain map such as a Service's {@code spec.selector}; an empty or absent
 *       map selects everything ({@code SelectorFromSet}). Note that the Service controllers treat
 *       an absent selector as "no endpoints managed" before ever matching.
 *   <li>{@link #parse}: the string syntax of {@code kubectl -l} and {@code ?labelSelector=} ({@code
 *       tier=web,env in (prod,qa),!canary,track notin (beta)}), with the parser's messages.
 * </ul>
 */
public final class LabelSelectors {

  private LabelSelectors() {}

  /** Whether {@code selector} selects {@code labels}; {@code null} selects nothing. */
  public static boolean matches(@Nullable LabelSelector selector, Map<String, String> labels) {
    return fromLabelSelector(selector).matches(labels);
  }

  /** Whether a map selector selects {@code labels}; empty or {@code null} selects everything. */
  public static boolean matches(
      @Nullable Map<String, String> selector, Map<String, String> labels) {
    return fromMap(selector).matches(labels);
  }

  /** A map selector: every entry is an equality requirement; empty selects everything. */
  public static Selector fromMap(@Nullable Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return Selector.everything();
    }
    List<Requirement> reqs = new ArrayList<>();
    selector.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    return new Selector.All(reqs);
  }

  /**
   * A {@code metav1.LabelSelector}: {@code null} selects nothing, empty selects everything.
   *
   * @throws SelectorParseException for an operator other than In, NotIn, Exists, DoesNotExist, or
   *     values that do not fit the operator
   */
  public static Selector fromLabelSelector(@Nullable LabelSelector selector) {
    if (selector == null) {
      return Selector.nothing();
    }
    List<Requirement> reqs = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement expr : selector.getMatchExpressions()) {
        reqs.add(expression(expr));
      }
    }
    return new Selector.All(reqs);
  }

  private static Requirement expression(LabelSelectorRequirement expr) {
    String op = String.valueOf(expr.getOperator());
    Operator operator =
        switch (op) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default ->
              throw new SelectorParseException(
                  "\"" + op + "\" is not a valid label selector operator");
        };
    List<String> values = expr.getValues() == null ? List.of() : expr.getValues();
    String key = String.valueOf(expr.getKey());
    List<String> keyErrors = Names.labelKey(key);
    if (!keyErrors.isEmpty()) {
      throw new SelectorParseException(
          "key: Invalid value: \"" + key + "\": " + String.join("; ", keyErrors));
    }
    switch (operator) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          throw new SelectorParseException(
              "values: Invalid value: []: for 'in', 'notin'"
                  + " operators, values set can't be empty");
        }
      }
      default -> {
        if (!values.isEmpty()) {
          throw new SelectorParseException(
              "values: Invalid value: "
                  + values
                  + ": values set must be empty for exists and does not exist");
        }
      }
    }
    return new Requirement(key, operator, values);
  }

  /**
   * Parses the string syntax. The empty string selects everything.
   *
   * @throws SelectorParseException with the text {@code labels.Parse} returns, e.g. {@code unable
   *     to parse requirement: found '', expected: identifier}
   */
  public static Selector parse(String text) {
    return new SelectorParser(text).parse();
  }
}
