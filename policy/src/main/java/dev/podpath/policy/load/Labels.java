package dev.podpath.policy.load;

import dev.podpath.policy.model.Selector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Label and selector validation as the API server applies it (apimachinery's validation). */
final class Labels {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Labels() {}

  /** Why a label key is invalid, or empty when valid. */
  static String keyProblem(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()
          || prefix.length() > 253
          || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        return "prefix part must be a lowercase RFC 1123 subdomain";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start"
          + " and end with an alphanumeric character (at most 63 characters)";
    }
    return "";
  }

  /** Why a label value is invalid, or empty when valid. */
  static String valueProblem(String value) {
    if (value.isEmpty()) {
      return "";
    }
    if (value.length() > 63 || !NAME.matcher(value).matches()) {
      return "a valid label must be an empty string or consist of alphanumeric characters, '-',"
          + " '_' or '.', and must start and end with an alphanumeric character";
    }
    return "";
  }

  /** The selector of a field, validated; {@code field} names it in errors. */
  static Selector selector(LabelSelector s, String where, String field) {
    var labels = new TreeMap<String, String>();
    Map<String, String> ml = s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
    for (var e : new TreeMap<>(ml).entrySet()) {
      checkKey(e.getKey(), where, field + ".matchLabels");
      String v = e.getValue() == null ? "" : e.getValue();
      String vp = valueProblem(v);
      if (!vp.isEmpty()) {
        throw new InputException(
            where,
            "selector error: " + field + ".matchLabels: Invalid value: \"" + v + "\": " + vp);
      }
      labels.put(e.getKey(), v);
    }
    var reqs = new ArrayList<Selector.Requirement>();
    List<LabelSelectorRequirement> me =
        s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    for (int i = 0; i < me.size(); i++) {
      var r = me.get(i);
      String f = field + ".matchExpressions[" + i + "]";
      checkKey(r.getKey() == null ? "" : r.getKey(), where, f);
      Selector.Operator op = operator(r.getOperator(), where, f);
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      for (String v : values) {
        String vp = valueProblem(v);
        if (!vp.isEmpty()) {
          throw new InputException(
              where, "selector error: " + f + ".values: Invalid value: \"" + v + "\": " + vp);
        }
      }
      try {
        reqs.add(new Selector.Requirement(r.getKey(), op, values));
      } catch (IllegalArgumentException e) {
        throw new InputException(where, "selector error: " + f + ": " + e.getMessage());
      }
    }
    return new Selector(labels, reqs);
  }

  private static void checkKey(String key, String where, String field) {
    String kp = keyProblem(key);
    if (!kp.isEmpty()) {
      throw new InputException(
          where, "selector error: " + field + ": key: Invalid value: \"" + key + "\": " + kp);
    }
  }

  private static Selector.Operator operator(String text, String where, String field) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    for (var op : Selector.Operator.values()) {
      if (op.apiName().toLowerCase(Locale.ROOT).equals(t)) {
        return op;
      }
    }
    throw new InputException(
        where,
        "selector error: "
            + field
            + ".operator: Unsupported value: \""
            + text
            + "\": supported values: In, NotIn, Exists, DoesNotExist");
  }
}
