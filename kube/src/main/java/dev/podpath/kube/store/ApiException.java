package dev.podpath.kube.store;

import dev.podpath.kube.validate.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request the API server refuses, with its status reason and message as kubectl shows it ({@code
 * Error from server (NotFound): pods "web" not found}). The store is unchanged.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The {@code metav1.StatusReason} values podpath produces. */
  public enum Reason {
    NOT_FOUND("NotFound"),
    ALREADY_EXISTS("AlreadyExists"),
    CONFLICT("Conflict"),
    INVALID("Invalid"),
    GONE("Expired"),
    BAD_REQUEST("BadRequest");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final Reason reason;
  private final transient List<FieldError> errors;

  private ApiException(Reason reason, String message, List<FieldError> errors) {
    super(message);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public Reason reason() {
    return reason;
  }

  /** The field errors of an {@link Reason#INVALID} rejection. */
  public List<FieldError> errors() {
    return errors;
  }

  /** The line kubectl prints: {@code Error from server (Reason): message}. */
  public String kubectlMessage() {
    return "Error from server (" + reason + "): " + getMessage();
  }

  public static ApiException notFound(ObjectKey key) {
    return new ApiException(Reason.NOT_FOUND, key.quoted() + " not found", List.of());
  }

  public static ApiException alreadyExists(ObjectKey key) {
    return new ApiException(Reason.ALREADY_EXISTS, key.quoted() + " already exists", List.of());
  }

  public static ApiException conflict(ObjectKey key) {
    return new ApiException(
        Reason.CONFLICT,
        "Operation cannot be fulfilled on "
            + key.quoted()
            + ": the object has been modified; please apply your changes to the latest version and"
            + " try again",
        List.of());
  }

  /** {@code Service "web" is invalid: spec.ports[0].port: Invalid value: …}. */
  public static ApiException invalid(String kind, String name, List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().toString()
            : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
    return new ApiException(
        Reason.INVALID, kind + " \"" + name + "\" is invalid: " + detail, errors);
  }

  public static ApiException gone(long requested, long oldest) {
    return new ApiException(
        Reason.GONE, "too old resource version: " + requested + " (" + oldest + ")", List.of());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(Reason.BAD_REQUEST, message, List.of());
  }
}
