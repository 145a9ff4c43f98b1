package dev.podpath.kernel;

/** The error numbers the emulated kernel answers with, and their {@code strerror} text. */
public enum Errno {
  EPERM("Operation not permitted"),
  ENOENT("No such file or directory"),
  ESRCH("No such process"),
  EBUSY("Device or resource busy"),
  EEXIST("File exists"),
  ENODEV("No such device"),
  EINVAL("Invalid argument"),
  ERANGE("Numerical result out of range"),
  EOPNOTSUPP("Operation not supported"),
  EADDRINUSE("Address already in use"),
  EADDRNOTAVAIL("Cannot assign requested address"),
  ENETDOWN("Network is down"),
  ENETUNREACH("Network is unreachable"),
  EHOSTUNREACH("No route to host"),
  ENOTEMPTY("Directory not empty");

  private final String text;

  Errno(String text) {
    this.text = text;
  }

  /** The C library's text for the error ({@code File exists}). */
  public String text() {
    return text;
  }
}
