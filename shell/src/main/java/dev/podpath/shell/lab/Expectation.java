package dev.podpath.shell.lab;

import dev.podpath.net.trace.Fate;
import dev.podpath.shell.ToolResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code expect} line of LAB.md, parsed. A closed set, judged by {@link #judge} against the
 * last probe and the last command's result.
 */
public sealed interface Expectation {

  /** Default tolerance of {@code expect share} for sampled probes, in percent. */
  double SAMPLED_TOLERANCE = 3.0;

  /** Tolerance of {@code expect share} for explored probes, in percent. */
  double EXPLORE_TOLERANCE = 0.1;

  /** {@code expect delivered [to [HOST/]NS] [port N] [seen-from ADDR]}. */
  record Delivered(Optional<String> to, Optional<Integer> port, Optional<String> seenFrom)
      implements Expectation {}

  /** {@code expect dropped|rejected|refused|unreachable}. */
  record Ended(Fate fate) implements Expectation {}

  /** {@code expect share [HOST/]NS P% [± T%]}. */
  record Share(String to, double percent, Optional<Double> tolerance) implements Expectation {}

  /** {@code expect log TEXT}. */
  record Log(String text) implements Expectation {}

  /** {@code expect hit [TABLE/]CHAIN}. */
  record Hit(String chain) implements Expectation {}

  /** {@code expect answered} / {@code expect unanswered}. */
  record Answered(boolean answered) implements Expectation {}

  /** {@code expect output TEXT}. */
  record Output(String text) implements Expectation {}

  /** {@code expect error [TEXT]}. */
  record Error(String text) implements Expectation {}

  /** The verdict on one expectation: whether it holds, and what was found instead. */
  record Verdict(boolean ok, String got) {}

  Pattern SHARE =
      Pattern.compile(
          "^\\s*(\\d+(?:\\.\\d+)?)\\s*%\\s*(?:(?:±|\\+-|\\+/-)\\s*(\\d+(?:\\.\\d+)?)\\s*%?)?\\s*$");

  /**
   * Parses the words after {@code expect}; throws {@link IllegalArgumentException} with a message
   * for the lab's author when they do not form an expectation.
   */
  static Expectation parse(List<String> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException(
          "expect: missing what to expect (delivered, dropped, rejected, refused, unreachable, share,"
              + " log, hit, answered, unanswered, output, error)");
    }
    String kind = args.get(0);
    List<String> rest = args.subList(1, args.size());
    return switch (kind) {
      case "delivered" -> parseDelivered(rest);
      case "dropped", "rejected", "refused", "unreachable" -> {
        noMore(kind, rest);
        yield new Ended(Fate.valueOf(kind.toUpperCase(Locale.ROOT)));
      }
      case "answered", "unanswered" -> {
        noMore(kind, rest);
        yield new Answered(kind.equals("answered"));
      }
      case "share" -> parseShare(rest);
      case "log" -> new Log(String.join(" ", rest));
      case "hit" -> {
        if (rest.size() != 1) {
          throw new IllegalArgumentException("expect hit: expected 'hit [TABLE/]CHAIN'");
        }
        yield new Hit(rest.get(0));
      }
      case "output" -> new Output(String.join(" ", rest));
      case "error" -> new Error(String.join(" ", rest));
      default ->
          throw new IllegalArgumentException(
              "expect: unknown expectation '"
                  + kind
                  + "' (known: delivered, dropped, rejected,"
                  + " refused, unreachable, share, log, hit, answered, unanswered, output, error)");
    };
  }

  private static void noMore(String kind, List<String> rest) {
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("expect " + kind + ": unexpected '" + rest.get(0) + "'");
    }
  }

  private static Expectation parseDelivered(List<String> rest) {
    Optional<String> to = Optional.empty();
    Optional<Integer> port = Optional.empty();
    Optional<String> seen = Optional.empty();
    for (int k = 0; k < rest.size(); k += 2) {
      String key = rest.get(k);
      if (!List.of("to", "port", "seen-from").contains(key)) {
        throw new IllegalArgumentException(
            "expect delivered: unexpected '"
                + key
                + "' (expected 'to NS', 'port N' or 'seen-from ADDR')");
      }
      if (k + 1 >= rest.size()) {
        throw new IllegalArgumentException("expect delivered: '" + key + "' needs a value");
      }
      String v = rest.get(k + 1);
      switch (key) {
        case "to" -> to = Optional.of(v);
        case "port" -> port = Optional.of(parsePort(v, "expect delivered port"));
        default -> seen = Optional.of(v);
      }
    }
    return new Delivered(to, port, seen);
  }

  /** A port number 1..65535, or an {@link IllegalArgumentException} naming {@code what}. */
  static int parsePort(String v, String what) {
    try {
      int p = Integer.parseInt(v);
      if (p > 0 && p < 65536) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(what + ": bad port '" + v + "' (expected 1..65535)");
  }

  private static Expectation parseShare(List<String> rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(
          "expect share: missing NS (expected 'share [HOST/]NS P% [± T%]')");
    }
    Matcher m = SHARE.matcher(String.join(" ", rest.subList(1, rest.size())));
    if (!m.matches()) {
      throw new IllegalArgumentException("expect share: expected 'share [HOST/]NS P% [± T%]'");
    }
    return new Share(
        rest.get(0),
        Double.parseDouble(m.group(1)),
        Optional.ofNullable(m.group(2)).map(Double::parseDouble));
  }

  /** Whether it needs a probe before it (all but output and error do). */
  default boolean aboutProbe() {
    return !(this instanceof Output || this instanceof Error);
  }

  /** Judges the expectation. */
  default Verdict judge(Optional<ProbeReport> lastProbe, Optional<ToolResult> lastResult) {
    if (this instanceof Output o) {
      if (lastResult.isEmpty()) {
        return new Verdict(false, "no command before this line");
      }
      String hay = lastResult.get().stdout() + lastResult.get().stderr();
      return new Verdict(hay.contains(o.text()), "output " + Json.quote(clip(hay.strip(), 400)));
    }
    if (this instanceof Error e) {
      if (lastResult.isEmpty()) {
        return new Verdict(false, "no command before this line");
      }
      ToolResult r = lastResult.get();
      String hay = r.stdout() + r.stderr();
      String got =
          "exit status "
              + r.exitCode()
              + (hay.isBlank() ? "" : ", output " + Json.quote(clip(hay.strip(), 300)));
      return new Verdict(r.exitCode() != 0 && hay.contains(e.text()), got);
    }
    if (lastProbe.isEmpty()) {
      return new Verdict(false, "no probe before this line");
    }
    ProbeReport p = lastProbe.get();
    return switch (this) {
      case Delivered d ->
          new Verdict(
              p.all(
                  a ->
                      a.fate() == Fate.DELIVERED
                          && d.to().map(a::deliveredTo).orElse(true)
                          && d.port().map(want -> a.port().equals(Optional.of(want))).orElse(true)
                          && d.seenFrom().map(want -> seenMatches(a, want)).orElse(true)),
              p.summary());
      case Ended e -> new Verdict(p.all(a -> a.fate() == e.fate()), p.summary());
      case Answered a -> {
        String got =
            p.explore()
                ? "answered " + ProbeReport.percent(p.answeredShare())
                : "answered " + p.answeredCount() + "/" + p.attempts().size();
        yield new Verdict(p.all(x -> x.answered() == a.answered()), got);
      }
      case Share s -> {
        double tol = p.explore() ? EXPLORE_TOLERANCE : s.tolerance().orElse(SAMPLED_TOLERANCE);
        double share = 100 * p.share(a -> a.deliveredTo(s.to()));
        String got =
            p.explore()
                ? String.format(
                    Locale.ROOT,
                    "%s (explored), tolerance ±%s%%",
                    ProbeReport.percent(share / 100),
                    trim(tol))
                : String.format(
                    Locale.ROOT,
                    "%.1f%% (%d/%d), tolerance ±%s%%",
                    share,
                    p.attempts().stream().filter(a -> a.deliveredTo(s.to())).count(),
                    p.attempts().size(),
                    trim(tol));
        yield new Verdict(
            !p.attempts().isEmpty() && Math.abs(share - s.percent()) <= tol + 1e-9, got);
      }
      case Log l ->
          new Verdict(
              p.logs().stream().anyMatch(x -> x.contains(l.text())),
              "LOG prefixes " + (p.logs().isEmpty() ? "none" : Json.quoteList(p.logs())));
      case Hit h ->
          new Verdict(
              p.hits().stream()
                  .anyMatch(
                      x ->
                          x.equals(h.chain())
                              || (!h.chain().contains("/")
                                  && x.substring(x.indexOf('/') + 1).equals(h.chain()))),
              "chains hit: " + (p.hits().isEmpty() ? "none" : String.join(", ", p.hits())));
      case Output o -> throw new IllegalStateException("handled above");
      case Error e -> throw new IllegalStateException("handled above");
    };
  }

  private static boolean seenMatches(Attempt a, String want) {
    if (a.seenFrom().isEmpty()) {
      return false;
    }
    String seen = a.seenFrom().get();
    return seen.equals(want) || Places.hostPart(seen).equals(Places.hostPart(want));
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
