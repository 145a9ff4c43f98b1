package dev.podpath.net;

/**
 * The one source of randomness in the emulation: every random decision ({@code -m statistic}, IPVS
 * schedulers) asks a chooser. {@link SampledChooser} samples from a seeded generator; {@link
 * Exploration} replays every combination of choices, each with its exact probability. (A NAT
 * range's address is not random on Linux but a hash of the tuple, and is not asked; the port NAT
 * moves a clashing connection to is derived from the tuple, where Linux draws it at random.)
 */
public interface Chooser {

  /**
   * Picks one of several branches.
   *
   * @param what a short description of the decision, for traces
   * @param probabilities one per branch, summing to 1 (within rounding)
   * @return the index of the chosen branch
   */
  int choose(String what, double[] probabilities);

  /**
   * Whether every branch is being explored rather than one sampled. Choices that are deterministic
   * given hidden state (an IPVS round-robin position) are then explored as a uniform choice over
   * the states an observer cannot know.
   */
  default boolean exploring() {
    return false;
  }

  /** A yes/no decision that is yes with probability {@code p}. */
  default boolean chance(String what, double p) {
    if (p >= 1.0) {
      return true;
    }
    if (p <= 0.0) {
      return false;
    }
    return choose(what, new double[] {p, 1.0 - p}) == 0;
  }

  /** One of {@code n} equally likely branches. */
  default int uniform(String what, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("uniform: n must be positive, got " + n);
    }
    if (n == 1) {
      return 0;
    }
    double[] p = new double[n];
    java.util.Arrays.fill(p, 1.0 / n);
    return choose(what, p);
  }
}
