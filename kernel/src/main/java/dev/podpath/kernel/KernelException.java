package dev.podpath.kernel;

/**
 * A request the kernel (or the tool in front of it) refused, with the error number and the text the
 * real tool prints: {@code RTNETLINK answers: File exists}, or the kernel's extended message as
 * iproute2 shows it ({@code Error: Nexthop has invalid gateway.}), or the tool's own words ({@code
 * Cannot find device "eth9"}). The state is unchanged when it is thrown.
 */
public final class KernelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Errno errno;

  private KernelException(Errno errno, String message) {
    super(message);
    this.errno = errno;
  }

  /** A plain netlink error: {@code RTNETLINK answers: <strerror>}. */
  public static KernelException rtnetlink(Errno errno) {
    return new KernelException(errno, "RTNETLINK answers: " + errno.text());
  }

  /** An error with the kernel's extended message ({@code Error: <text>}). */
  public static KernelException extack(Errno errno, String text) {
    return new KernelException(errno, "Error: " + text);
  }

  /** An error the tool itself reports, with its exact words. */
  public static KernelException tool(Errno errno, String text) {
    return new KernelException(errno, text);
  }

  /** {@code Cannot find device "NAME"}, as {@code ip} says for an unknown device. */
  public static KernelException noDevice(String name) {
    return tool(Errno.ENODEV, "Cannot find device \"" + name + "\"");
  }

  public Errno errno() {
    return errno;
  }
}
