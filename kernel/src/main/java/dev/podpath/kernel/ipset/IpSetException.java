package dev.podpath.kernel.ipset;

/** An {@code ipset} operation the kernel refuses; the message is ipset's. Nothing was changed. */
public final class IpSetException extends RuntimeException {
  public IpSetException(String message) {
    super(message);
  }
}
