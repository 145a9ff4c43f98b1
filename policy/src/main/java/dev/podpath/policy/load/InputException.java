package dev.podpath.policy.load;

/**
 * Bad user input: a manifest that cannot be read or a NetworkPolicy that the API server would
 * reject. The message starts with the location (file, object, field path).
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String location;

  public InputException(String location, String message) {
    super(location + ": " + message);
    this.location = location;
  }

  public InputException(String location, String message, Throwable cause) {
    super(location + ": " + message, cause);
    this.location = location;
  }

  /** Where the problem is: {@code FILE[#DOC] KIND NS/NAME FIELD}. */
  public String location() {
    return location;
  }
}
