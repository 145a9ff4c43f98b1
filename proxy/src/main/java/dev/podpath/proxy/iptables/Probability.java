package dev.podpath.proxy.iptables;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The {@code --probability} text of the n-th-from-last endpoint rule: {@code 1/n} with exactly 10
 * decimals, correctly rounded from the binary value with ties to even, as Go's {@code %0.10f}
 * prints it ({@code 1/2048} is {@code 0.0004882812}, where Java's {@code %.10f} says ...13).
 */
public final class Probability {

  private static final String[] CACHE = new String[1024];

  private Probability() {}

  /** The probability for a rule that picks one of {@code n} remaining endpoints. */
  public static String of(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n: must be at least 1, got " + n);
    }
    if (n < CACHE.length) {
      String s = CACHE[n];
      if (s == null) {
        s = format(n);
        CACHE[n] = s;
      }
      return s;
    }
    return format(n);
  }

  private static String format(int n) {
    return new BigDecimal(1.0 / n).setScale(10, RoundingMode.HALF_EVEN).toPlainString();
  }
}
