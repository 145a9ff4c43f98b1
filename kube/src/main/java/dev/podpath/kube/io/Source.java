package dev.podpath.kube.io;

/** Where an object was read from: a file name (or {@code -} for standard input) and a line. */
public record Source(String file, int line) {

  /** The location of objects made by podpath itself (controllers, defaults). */
  public static final Source GENERATED = new Source("<generated>", 0);

  public Source {
    if (line < 0) {
      throw new IllegalArgumentException("Source.line must be >= 0, got " + line);
    }
  }

  /** {@code file:line}, or just the file when the line is unknown. */
  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line;
  }
}
