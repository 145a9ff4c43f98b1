package dev.podpath.kernel.walk;

import dev.podpath.net.trace.Fate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The attempts of one probe (sampled) or its outcomes with their probabilities (explored). */
public record ProbeResult(ProbeRequest request, List<Attempt> attempts, boolean explored) {

  public ProbeResult {
    attempts = List.copyOf(attempts);
  }

  /** Whether every attempt ended with {@code fate}. */
  public boolean all(Fate fate) {
    return attempts.stream().allMatch(a -> a.fate() == fate);
  }

  /** Whether every attempt's answer got back to the client. */
  public boolean answered() {
    return attempts.stream().allMatch(Attempt::answered);
  }

  /**
   * The share of attempts delivered to each place ({@code host/ns}): probabilities summed when
   * explored, the fraction of attempts when sampled. Sorted by place.
   */
  public Map<String, Double> shares() {
    var out = new TreeMap<String, Double>();
    for (var a : attempts) {
      if (a.fate() == Fate.DELIVERED && a.delivery().isPresent()) {
        double w = explored ? a.probability() : 1.0 / attempts.size();
        out.merge(a.delivery().get().where(), w, Double::sum);
      }
    }
    return out;
  }

  /** The last attempt (the one {@code trace} prints). */
  public Attempt last() {
    return attempts.get(attempts.size() - 1);
  }
}
