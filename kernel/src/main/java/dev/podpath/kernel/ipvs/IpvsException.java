package dev.podpath.kernel.ipvs;

/**
 * A request IPVS refused, with the words {@code ipvsadm} prints ({@code Service already exists}).
 */
public final class IpvsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IpvsException(String message) {
    super(message);
  }
}
