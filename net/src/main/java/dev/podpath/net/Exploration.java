package dev.podpath.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Explores every branch of a randomised run. The run is a function of a {@link Chooser}; it is
 * re-run once per combination of choices (depth first, branches in index order), so it must start
 * from the same state each time (the caller rolls back side effects). Branches of probability zero
 * are skipped.
 */
public final class Exploration {

  /** One outcome of a run, reached with the given probability through the given choices. */
  public record Branch<T>(T result, double probability, List<Integer> choices) {}

  private Exploration() {}

  /** Every outcome, in depth-first order; throws when there are more than {@code maxBranches}. */
  public static <T> List<Branch<T>> explore(Function<Chooser, T> run, int maxBranches) {
    var out = new ArrayList<Branch<T>>();
    var path = new ArrayList<int[]>(); // {chosen, count} per decision
    var probs = new ArrayList<double[]>();
    while (true) {
      var replay = new ReplayChooser(path, probs);
      T result = run.apply(replay);
      double p = 1.0;
      var choices = new ArrayList<Integer>();
      for (int i = 0; i < replay.depth; i++) {
        p *= probs.get(i)[path.get(i)[0]];
        choices.add(path.get(i)[0]);
      }
      // forget decisions made in an earlier run deeper than this run went
      while (path.size() > replay.depth) {
        path.remove(path.size() - 1);
        probs.remove(probs.size() - 1);
      }
      out.add(new Branch<>(result, p, List.copyOf(choices)));
      if (out.size() > maxBranches) {
        throw new IllegalStateException("exploration: more than " + maxBranches + " branches");
      }
      if (!backtrack(path, probs)) {
        return out;
      }
    }
  }

  private static boolean backtrack(List<int[]> path, List<double[]> probs) {
    while (!path.isEmpty()) {
      int last = path.size() - 1;
      int[] step = path.get(last);
      double[] p = probs.get(last);
      int next = nextNonZero(p, step[0] + 1);
      if (next >= 0) {
        step[0] = next;
        return true;
      }
      path.remove(last);
      probs.remove(last);
    }
    return false;
  }

  private static int nextNonZero(double[] p, int from) {
    for (int i = from; i < p.length; i++) {
      if (p[i] > 0) {
        return i;
      }
    }
    return -1;
  }

  private static final class ReplayChooser implements Chooser {
    private final List<int[]> path;
    private final List<double[]> probs;
    int depth;

    ReplayChooser(List<int[]> path, List<double[]> probs) {
      this.path = path;
      this.probs = probs;
    }

    @Override
    public boolean exploring() {
      return true;
    }

    @Override
    public int choose(String what, double[] probabilities) {
      if (depth < path.size()) {
        probs.set(depth, probabilities.clone());
        return path.get(depth++)[0];
      }
      int first = nextNonZero(probabilities, 0);
      if (first < 0) {
        throw new IllegalArgumentException("choose: no branch of " + what + " has a probability");
      }
      path.add(new int[] {first, probabilities.length});
      probs.add(probabilities.clone());
      depth++;
      return first;
    }
  }
}
