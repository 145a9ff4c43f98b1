package dev.podpath.net;

import java.util.SplittableRandom;

/** Samples choices from a seeded generator: the same seed gives the same run. */
public final class SampledChooser implements Chooser {

  private final SplittableRandom random;

  public SampledChooser(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public int choose(String what, double[] probabilities) {
    double r = random.nextDouble();
    double acc = 0;
    int lastNonZero = 0;
    for (int i = 0; i < probabilities.length; i++) {
      if (probabilities[i] <= 0) {
        continue;
      }
      lastNonZero = i;
      acc += probabilities[i];
      if (r < acc) {
        return i;
      }
    }
    return lastNonZero;
  }

  /** A uniformly random integer in {@code [0, bound)}, for non-branching picks such as ports. */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
