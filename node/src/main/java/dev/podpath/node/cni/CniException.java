package dev.podpath.node.cni;

/**
 * A CNI error result ({@code {"code": N, "msg": …, "details": …}}), with the spec's well-known
 * codes. Printed the way Debian's plugins print it: indented, no {@code cniVersion}, and {@code
 * details} only when it is not empty.
 */
public final class CniException extends Exception {

  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODING_FAILURE = 6;
  public static final int INVALID_NETWORK_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int INTERNAL = 999;

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String msg;
  private final String details;

  public CniException(int code, String msg, String details) {
    super(details.isEmpty() ? msg : msg + ": " + details);
    this.code = code;
    this.msg = msg;
    this.details = details;
  }

  /** An ordinary plugin failure (the reference plugins' code 999). */
  public static CniException internal(String msg) {
    return new CniException(INTERNAL, msg, "");
  }

  public int code() {
    return code;
  }

  public String msg() {
    return msg;
  }

  public String details() {
    return details;
  }

  /** The error object as a plugin prints it on stdout. */
  public String toJson() {
    var node = CniJson.object().put("code", code).put("msg", msg);
    if (!details.isEmpty()) {
      node.put("details", details);
    }
    return CniJson.indented(node);
  }
}
