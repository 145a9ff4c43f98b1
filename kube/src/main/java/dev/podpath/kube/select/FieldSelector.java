package dev.podpath.kube.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A field selector ({@code --field-selector}, {@code ?fieldSelector=}): a conjunction of {@code
 * field=value}, {@code field==value} and {@code field!=value} terms over the fields the API server
 * indexes for a kind (see {@code ApiStore}).
 */
public record FieldSelector(List<Term> terms) {

  /** One term: a field, equality or inequality, a value. */
  public record Term(String field, boolean equal, String value) {
    @Override
    public String toString() {
      return field + (equal ? "=" : "!=") + value;
    }
  }

  public FieldSelector {
    terms = List.copyOf(terms);
  }

  /** The selector that selects everything. */
  public static FieldSelector everything() {
    return new FieldSelector(List.of());
  }

  /**
   * Parses {@code a=b,c!=d}; backslash escapes a comma, equals sign or backslash in a value.
   *
   * @throws SelectorParseException for a term with no operator
   */
  public static FieldSelector parse(String text) {
    List<Term> terms = new ArrayList<>();
    if (text.isBlank()) {
      return everything();
    }
    for (String part : splitTerms(text)) {
      int ne = part.indexOf("!=");
      int eq2 = part.indexOf("==");
      int eq = part.indexOf('=');
      if (ne >= 0 && (eq < 0 || ne < eq)) {
        terms.add(new Term(part.substring(0, ne).trim(), false, unescape(part.substring(ne + 2))));
      } else if (eq2 >= 0 && eq2 == eq) {
        terms.add(new Term(part.substring(0, eq2).trim(), true, unescape(part.substring(eq2 + 2))));
      } else if (eq >= 0) {
        terms.add(new Term(part.substring(0, eq).trim(), true, unescape(part.substring(eq + 1))));
      } else {
        throw new SelectorParseException(
            "invalid selector: '" + text + "'; can't understand '" + part + "'");
      }
    }
    return new FieldSelector(terms);
  }

  private static List<String> splitTerms(String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        cur.append(c).append(text.charAt(++i));
      } else if (c == ',') {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static String unescape(String s) {
    return s.replace("\\,", ",").replace("\\=", "=").replace("\\\\", "\\");
  }

  /** Whether an object with these field values is selected; an absent field reads as "". */
  public boolean matches(Map<String, String> fields) {
    for (Term t : terms) {
      boolean same = fields.getOrDefault(t.field(), "").equals(t.value());
      if (same != t.equal()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return terms.stream().map(Term::toString).collect(Collectors.joining(","));
  }
}
