package dev.podpath.kube.io;

/** Bad input in a manifest: the message starts with the file and line ({@code web.yaml:12: …}). */
public final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Source source;
  private final String reason;

  public ManifestException(Source source, String reason) {
    super(source + ": " + reason);
    this.source = source;
    this.reason = reason;
  }

  public Source source() {
    return source;
  }

  /** The message without the location. */
  public String reason() {
    return reason;
  }
}
