package dev.podpath.proxy.iptables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Upstream's sorted normal form of an {@code iptables-restore} input (the sort its tests compare
 * with): tables by name; chains with {@code KUBE-NODEPORTS} first, {@code KUBE-SERVICES} second,
 * other {@code KUBE-} chains next and the rest last, each group in byte order; rules keep their
 * order except in {@code KUBE-NODEPORTS} and {@code KUBE-SERVICES}, which are sorted stably by the
 * service name of their comment, with the nat "must be the last rule" rule kept last; then the
 * {@code -X} lines.
 */
public final class RestoreNormalizer {

  private RestoreNormalizer() {}

  private record Table(
      Map<String, List<String>> rules, Set<String> declared, Set<String> deleted) {}

  /** The normal form of {@code text}. */
  public static String normalize(String text) {
    Map<String, Table> tables = new TreeMap<>();
    Table cur = null;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("*")) {
        cur =
            tables.computeIfAbsent(
                line.substring(1),
                k ->
                    new Table(new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashSet<>()));
      } else if (cur == null || line.equals("COMMIT")) {
        cur = line.equals("COMMIT") ? null : cur;
      } else if (line.startsWith(":")) {
        String chain = line.substring(1).split(" ")[0];
        cur.declared().add(chain);
      } else if (line.startsWith("-A ")) {
        int sp = line.indexOf(' ', 3);
        String chain = sp < 0 ? line.substring(3) : line.substring(3, sp);
        cur.rules().computeIfAbsent(chain, k -> new ArrayList<>()).add(line);
      } else if (line.startsWith("-X ")) {
        cur.deleted().add(line.substring(3).strip());
      }
    }
    var sb = new StringBuilder();
    tables.forEach(
        (name, t) -> {
          sb.append('*').append(name).append('\n');
          List<String> chains = new ArrayList<>(t.declared());
          chains.sort(CHAIN_ORDER);
          chains.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
          for (String c : chains) {
            List<String> rules = new ArrayList<>(t.rules().getOrDefault(c, List.of()));
            if (c.equals(ChainNames.SERVICES) || c.equals(ChainNames.NODEPORTS)) {
              sortByService(rules, name.equals("nat") && c.equals(ChainNames.SERVICES));
            }
            rules.forEach(r -> sb.append(r).append('\n'));
          }
          for (String c : chains) {
            if (t.deleted().contains(c)) {
              sb.append("-X ").append(c).append('\n');
            }
          }
          sb.append("COMMIT\n");
        });
    return sb.toString();
  }

  /** KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, then the rest, each in byte order. */
  public static final Comparator<String> CHAIN_ORDER =
      Comparator.comparingInt(RestoreNormalizer::chainRank)
          .thenComparing(Comparator.naturalOrder());

  private static int chainRank(String chain) {
    if (chain.equals(ChainNames.NODEPORTS)) {
      return 0;
    }
    if (chain.equals(ChainNames.SERVICES)) {
      return 1;
    }
    return chain.startsWith("KUBE-") ? 2 : 3;
  }

  private static void sortByService(List<String> rules, boolean lastRuleLast) {
    String last = null;
    if (lastRuleLast) {
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).contains("must be the last rule")) {
          last = rules.remove(i);
          break;
        }
      }
    }
    List<String> keys = rules.stream().map(RestoreNormalizer::serviceName).toList();
    if (keys.stream().allMatch(k -> !k.isEmpty())) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        idx.add(i);
      }
      idx.sort(Comparator.comparing(keys::get));
      List<String> sorted = idx.stream().map(rules::get).toList();
      rules.clear();
      rules.addAll(sorted);
    } else {
      insertionSort(rules);
    }
    if (last != null) {
      rules.add(last);
    }
  }

  /** A stable insertion sort with upstream's less-than, where no comment compares equal. */
  private static void insertionSort(List<String> rules) {
    for (int i = 1; i < rules.size(); i++) {
      for (int j = i; j > 0 && less(rules.get(j), rules.get(j - 1)); j--) {
        String t = rules.get(j);
        rules.set(j, rules.get(j - 1));
        rules.set(j - 1, t);
      }
    }
  }

  private static boolean less(String a, String b) {
    String ka = serviceName(a);
    String kb = serviceName(b);
    return !ka.isEmpty() && !kb.isEmpty() && ka.compareTo(kb) < 0;
  }

  /** The comment's text up to its first space or colon; empty if the rule has no comment. */
  static String serviceName(String rule) {
    List<String> words = RuleWords.split(rule);
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("--comment")) {
        String c = words.get(i + 1);
        int end = c.length();
        for (int k = 0; k < c.length(); k++) {
          if (c.charAt(k) == ' ' || c.charAt(k) == ':') {
            end = k;
            break;
          }
        }
        return c.substring(0, end);
      }
    }
    return "";
  }
}
