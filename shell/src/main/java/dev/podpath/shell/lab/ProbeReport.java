package dev.podpath.shell.lab;

import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one {@code probe} (or {@code ping}) line did: its attempts, or when exploring every branch
 * with its exact probability. Expectations are judged on it; {@code trace} renders it.
 *
 * @param file the lab file
 * @param line the probe's line
 * @param text the probe as written (expanded)
 * @param protocol tcp, udp or icmp
 * @param explore whether the attempts are explored branches rather than samples
 */
public record ProbeReport(
    String file,
    int line,
    String text,
    Protocol protocol,
    boolean explore,
    List<Attempt> attempts) {

  public ProbeReport {
    attempts = List.copyOf(attempts);
  }

  /** The share (0..1) of attempts satisfying a condition, by weight. */
  public double share(java.util.function.Predicate<Attempt> condition) {
    return attempts.stream().filter(condition).mapToDouble(Attempt::weight).sum();
  }

  /** Whether every attempt satisfies a condition (false for a probe without attempts). */
  public boolean all(java.util.function.Predicate<Attempt> condition) {
    return !attempts.isEmpty() && attempts.stream().allMatch(condition);
  }

  /**
   * The chains the probe went through, as {@code table/chain}, in order of first passage: every
   * chain with a rule or policy that applied, and the target of every jump.
   */
  public List<String> hits() {
    return attempts.stream()
        .flatMap(a -> a.traces().stream())
        .flatMap(t -> t.chains().stream())
        .distinct()
        .toList();
  }

  /** The prefixes of the LOG rules that fired, in order of first firing. */
  public List<String> logs() {
    var logs = new LinkedHashSet<String>();
    for (Attempt a : attempts) {
      a.traces().stream()
          .flatMap(Trace::steps)
          .forEach(
              s -> {
                if (s instanceof Step.Log l) {
                  logs.add(l.prefix());
                }
              });
    }
    return List.copyOf(logs);
  }

  /** Outcome → number of attempts (sampled) in the lab's order of outcomes. */
  public Map<Fate, Integer> outcomeCounts() {
    var counts = new LinkedHashMap<Fate, Integer>();
    for (Fate f : Fate.values()) {
      counts.put(f, (int) attempts.stream().filter(a -> a.fate() == f).count());
    }
    return counts;
  }

  /** Outcome → probability (exact when exploring). */
  public Map<Fate, Double> outcomeShares() {
    var shares = new LinkedHashMap<Fate, Double>();
    for (Fate f : Fate.values()) {
      shares.put(f, share(a -> a.fate() == f));
    }
    return shares;
  }

  /** A delivery group: where, which address, seen from which source. */
  public record Delivery(String to, String address, String seenFrom, int count, double share) {}

  /** The deliveries grouped by place, address and source, the most frequent first. */
  public List<Delivery> deliveries() {
    var groups = new LinkedHashMap<List<String>, double[]>();
    for (Attempt a : attempts) {
      if (a.fate() != Fate.DELIVERED) {
        continue;
      }
      var key = List.of(a.to().orElse("?"), a.address().orElse(""), seenShown(a));
      double[] acc = groups.computeIfAbsent(key, k -> new double[2]);
      acc[0]++;
      acc[1] += a.weight();
    }
    var out = new ArrayList<Delivery>();
    groups.forEach((k, v) -> out.add(new Delivery(k.get(0), k.get(1), k.get(2), (int) v[0], v[1])));
    out.sort(
        java.util.Comparator.comparingDouble((Delivery d) -> -d.share())
            .thenComparing(Delivery::to)
            .thenComparing(Delivery::address)
            .thenComparing(Delivery::seenFrom));
    return out;
  }

  private String seenShown(Attempt a) {
    return protocol == Protocol.ICMP ? a.seenFrom().orElse("") : a.seenFromAddress().orElse("");
  }

  public double answeredShare() {
    return share(Attempt::answered);
  }

  public int answeredCount() {
    return (int) attempts.stream().filter(Attempt::answered).count();
  }

  /** One line: each group of outcomes with its count (or probability), and the answered count. */
  public String summary() {
    var groups = new LinkedHashMap<String, double[]>();
    for (Attempt a : attempts) {
      String key =
          a.fate() == Fate.DELIVERED
              ? "delivered|to "
                  + a.to().orElse("?")
                  + " "
                  + a.address().orElse("?")
                  + " seen-from "
                  + seenShown(a)
              : a.fate().word() + "|(" + a.why() + ")";
      double[] acc = groups.computeIfAbsent(key, k -> new double[2]);
      acc[0]++;
      acc[1] += a.weight();
    }
    int n = attempts.size();
    var parts =
        groups.entrySet().stream()
            .sorted((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]))
            .map(
                e -> {
                  String[] kw = e.getKey().split("\\|", 2);
                  String amount =
                      explore ? percent(e.getValue()[1]) : (int) e.getValue()[0] + "/" + n;
                  return kw[0] + " " + amount + " " + kw[1];
                })
            .collect(Collectors.toList());
    String answered = explore ? percent(answeredShare()) : answeredCount() + "/" + n;
    parts.add("answered " + answered);
    return String.join("; ", parts);
  }

  /** The outcomes in short, for an expectation's "got": {@code dropped 1/1, delivered 2/3}. */
  public String shortOutcomes() {
    int n = attempts.size();
    var parts = new ArrayList<String>();
    for (Fate f : Fate.values()) {
      long c = attempts.stream().filter(a -> a.fate() == f).count();
      if (c > 0) {
        parts.add(f.word() + " " + (explore ? percent(share(a -> a.fate() == f)) : c + "/" + n));
      }
    }
    return parts.isEmpty() ? "no attempts" : String.join(", ", parts);
  }

  static String percent(double share) {
    double p = share * 100;
    String s = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
    return s + "%";
  }
}
