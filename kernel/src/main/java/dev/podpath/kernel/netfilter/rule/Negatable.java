package dev.podpath.kernel.netfilter.rule;

/** A match option's value and whether it was inverted with {@code !}. */
public record Negatable<T>(T value, boolean inverted) {

  public static <T> Negatable<T> of(T value) {
    return new Negatable<>(value, false);
  }

  public static <T> Negatable<T> not(T value) {
    return new Negatable<>(value, true);
  }

  /** Applies the inversion to whether the value matched. */
  public boolean apply(boolean matched) {
    return matched != inverted;
  }
}
