package dev.podpath.kube.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The syntax checks of {@code k8s.io/apimachinery/pkg/util/validation}: each returns the list of
 * problems in the API server's words, empty when the text is valid.
 */
public final class Names {

  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern QUALIFIED_NAME = Pattern.compile("^" + QUALIFIED_NAME_FMT + "$");
  private static final String QUALIFIED_NAME_ERR =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final Pattern LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE_FMT + "$");
  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
  private static final String DNS1123_SUBDOMAIN_FMT =
      DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1035_LABEL = Pattern.compile("^" + DNS1035_LABEL_FMT + "$");

  /** Longest label value, DNS label and qualified-name part. */
  public static final int LABEL_MAX = 63;

  /** Longest DNS subdomain. */
  public static final int SUBDOMAIN_MAX = 253;

  private Names() {}

  /** A label key or annotation key: {@code [prefix/]name} (IsQualifiedName). */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part must be non-empty");
        } else {
          for (String e : dns1123Subdomain(prefix)) {
            errs.add("prefix part " + e);
          }
        }
      }
      default -> {
        errs.add(
            "a qualified name "
                + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > LABEL_MAX) {
      errs.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add(
          "name part "
              + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** A label key; the same rules as {@link #qualifiedName}. */
  public static List<String> labelKey(String value) {
    return qualifiedName(value);
  }

  /** A label value (IsValidLabelValue): empty, or at most 63 qualified-name characters. */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(
          regexError(
              "a valid label must be an empty string or consist of alphanumeric"
                  + " characters, '-', '_' or '.', and must start and end with an alphanumeric character",
              LABEL_VALUE_FMT,
              "MyValue",
              "my_value",
              "12345"));
    }
    return errs;
  }

  /** A DNS label (RFC 1123): pod hostnames, namespace names, port names' second rule. */
  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      errs.add(
          regexError(
              "a lowercase RFC 1123 label must consist of lower case alphanumeric"
                  + " characters or '-', and must start and end with an alphanumeric character",
              DNS1123_LABEL_FMT,
              "my-name",
              "123-abc"));
    }
    return errs;
  }

  /** A DNS subdomain (RFC 1123): most object names. */
  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > SUBDOMAIN_MAX) {
      errs.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(
          regexError(
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                  + " characters, '-' or '.', and must start and end with an alphanumeric character",
              DNS1123_SUBDOMAIN_FMT,
              "example.com"));
    }
    return errs;
  }

  /** A DNS-1035 label: Service names. */
  public static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(
          regexError(
              "a DNS-1035 label must consist of lower case alphanumeric characters"
                  + " or '-', start with an alphabetic character, and end with an alphanumeric character",
              DNS1035_LABEL_FMT,
              "my-name",
              "abc-123"));
    }
    return errs;
  }

  /** An IANA service name, the rule for container and service port names. */
  public static List<String> portName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 15) {
      errs.add("must be no more than 15 characters");
    }
    if (!value.matches("^[-a-z0-9]+$")) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (value.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!value.matches(".*[a-z].*")) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (value.startsWith("-") || value.endsWith("-")) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  private static String regexError(String msg, String fmt, String... examples) {
    StringBuilder sb = new StringBuilder(msg);
    if (examples.length > 0) {
      sb.append(" (e.g. ");
      for (int i = 0; i < examples.length; i++) {
        if (i > 0) {
          sb.append(",  or ");
        }
        sb.append('\'').append(examples[i]).append('\'');
      }
      sb.append(", ");
    } else {
      sb.append(" (");
    }
    sb.append("regex used for validation is '").append(fmt).append("')");
    return sb.toString();
  }
}
