package dev.podpath.kernel.route;

import java.util.Locale;
import java.util.Optional;

/** Address and route scopes ({@code RT_SCOPE_*}), narrowest last. */
public enum Scope {
  GLOBAL(0),
  SITE(200),
  LINK(253),
  HOST(254),
  NOWHERE(255);

  private final int value;

  Scope(int value) {
    this.value = value;
  }

  /** The kernel's number; a smaller number is a wider scope. */
  public int value() {
    return value;
  }

  /** The word {@code ip} prints and accepts ({@code global}, {@code link}, {@code host}). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> find(String word) {
    for (Scope s : values()) {
      if (s.word().equals(word) || Integer.toString(s.value).equals(word)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
