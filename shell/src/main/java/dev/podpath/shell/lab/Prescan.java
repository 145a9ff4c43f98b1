package dev.podpath.shell.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a lab before it runs, so that a typo fails at once with its line rather than after the
 * commands before it ran: unknown commands (with a suggestion), malformed expectations, and the
 * Kubernetes commands when the world has no cluster support.
 */
final class Prescan {

  static final Set<String> LAB_COMMANDS =
      Set.of("host", "serve", "probe", "trace", "expect", "ping", "echo");
  static final Set<String> KUBERNETES = Set.of("cluster", "kubectl", "advance");

  private Prescan() {}

  /** Drops a leading {@code $} prompt and leading {@code sudo}s. */
  static List<Word> stripPrompt(List<Word> words) {
    int k = 0;
    while (k < words.size()) {
      String t = words.get(k).raw();
      if ((k == 0 && t.equals("$")) || t.equals("sudo")) {
        k++;
        continue;
      }
      break;
    }
    return words.subList(k, words.size());
  }

  /** Whether {@code args} start with {@code ip netns exec} (as iproute2 abbreviates it). */
  static boolean isNetnsExec(List<String> args) {
    return args.size() >= 3
        && args.get(0).equals("ip")
        && List.of("netns", "netn", "net").contains(args.get(1))
        && !args.get(2).isEmpty()
        && "exec".startsWith(args.get(2));
  }

  static void check(List<Command> commands, String file, LabWorld world) {
    for (Command c : commands) {
      List<String> words = new ArrayList<>();
      stripPrompt(c.words()).forEach(w -> words.add(w.raw()));
      if (words.isEmpty() || Variables.isAssignment(stripPrompt(c.words()).get(0))) {
        continue;
      }
      List<String> inner = words;
      while (isNetnsExec(inner)) {
        inner = inner.subList(Math.min(4, inner.size()), inner.size());
      }
      if (inner.isEmpty() || inner.get(0).contains("$")) {
        continue;
      }
      String name = inner.get(0);
      if (KUBERNETES.contains(name) && !world.knowsTool(name)) {
        throw new LabException(
            file,
            c.line(),
            "'" + name + "' is a Kubernetes command, which this lab world does not have");
      }
      if (!LAB_COMMANDS.contains(name) && !world.knowsTool(name)) {
        throw new LabException(
            file, c.line(), "unknown command '" + name + "'" + suggestion(name, world));
      }
      if (name.equals("expect") && inner.stream().noneMatch(w -> w.contains("$"))) {
        try {
          Expectation.parse(inner.subList(1, inner.size()));
        } catch (IllegalArgumentException e) {
          throw new LabException(file, c.line(), e.getMessage());
        }
      }
    }
  }

  private static final List<String> KNOWN_TOOLS =
      List.of(
          "ip",
          "iptables",
          "ip6tables",
          "iptables-save",
          "iptables-restore",
          "ip6tables-save",
          "ip6tables-restore",
          "ipvsadm",
          "ipset",
          "bridge",
          "sysctl",
          "cat",
          "conntrack");

  private static String suggestion(String name, LabWorld world) {
    var known = new TreeSet<String>(LAB_COMMANDS);
    KNOWN_TOOLS.stream().filter(world::knowsTool).forEach(known::add);
    Optional<String> best =
        known.stream()
            .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k));
    if (best.isPresent() && distance(name, best.get()) <= 2) {
      return " (did you mean '" + best.get() + "'?)";
    }
    return " (lab commands: host, serve, probe, ping, trace, expect; tools: "
        + String.join(", ", KNOWN_TOOLS.stream().filter(world::knowsTool).toList())
        + ")";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
