package dev.podpath.kube.select;

/** A label selector that does not parse or validate; the message is the API machinery's. */
public final class SelectorParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SelectorParseException(String message) {
    super(message);
  }
}
