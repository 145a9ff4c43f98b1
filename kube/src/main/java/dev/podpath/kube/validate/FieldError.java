package dev.podpath.kube.validate;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One field problem as {@code k8s.io/apimachinery/pkg/util/validation/field.Error} prints it:
 * {@code spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive}.
 */
public record FieldError(String path, Type type, String detail) {

  /** The error types the API server names in its messages. */
  public enum Type {
    INVALID("Invalid value"),
    REQUIRED("Required value"),
    NOT_SUPPORTED("Unsupported value"),
    DUPLICATE("Duplicate value"),
    FORBIDDEN("Forbidden"),
    TOO_MANY("Too many");

    private final String text;

    Type(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code path: Invalid value: VALUE: detail}; strings are quoted, numbers are not. */
  public static FieldError invalid(String path, Object value, String detail) {
    return new FieldError(path, Type.INVALID, quote(value) + ": " + detail);
  }

  /**
   * {@code path: Invalid value: TEXT: detail} with the value unquoted, as the API server prints a
   * value that has a {@code String()} form (an int-or-string: {@code 0}, {@code 110%}).
   */
  public static FieldError invalidText(String path, String text, String detail) {
    return new FieldError(path, Type.INVALID, text + ": " + detail);
  }

  public static FieldError required(String path, String detail) {
    return new FieldError(path, Type.REQUIRED, detail);
  }

  /** {@code path: Unsupported value: "X": supported values: "A", "B"}. */
  public static FieldError notSupported(String path, Object value, List<String> supported) {
    String list = supported.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    return new FieldError(path, Type.NOT_SUPPORTED, quote(value) + ": supported values: " + list);
  }

  public static FieldError duplicate(String path, Object value) {
    return new FieldError(path, Type.DUPLICATE, quote(value));
  }

  public static FieldError forbidden(String path, String detail) {
    return new FieldError(path, Type.FORBIDDEN, detail);
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  @Override
  public String toString() {
    return detail.isEmpty() ? path + ": " + type : path + ": " + type + ": " + detail;
  }
}
