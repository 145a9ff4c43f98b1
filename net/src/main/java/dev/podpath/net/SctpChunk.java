package dev.podpath.net;

/**
 * One chunk of an SCTP packet: its type (0 DATA, 1 INIT, 2 INIT_ACK, …) and its flags byte. What
 * {@code -m sctp --chunk-types} looks at.
 */
public record SctpChunk(int type, int flags) {
  public static final int DATA = 0;
  public static final int INIT = 1;
  public static final int INIT_ACK = 2;
  public static final int SACK = 3;
  public static final int ABORT = 6;

  public SctpChunk {
    if (type < 0 || type > 255 || flags < 0 || flags > 255) {
      throw new IllegalArgumentException(
          "sctp chunk: type and flags must be 0..255, got " + type + "/" + flags);
    }
  }

  public static SctpChunk of(int type) {
    return new SctpChunk(type, 0);
  }
}
