package dev.podpath.proxy.iptables;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Upstream's symbolic packet tracer from kube-proxy's unit tests (corpus README section 7), over a
 * {@link FakeIptables}. It is deliberately crude: mark, ctstate and {@code recent --rcheck} matches
 * never match, it runs nat PREROUTING then four filter chains directly, and it collects every
 * endpoint a load-balanced service may pick. The real verdicts come from the kernel's walk.
 */
final class UpstreamTracer {

  private final FakeIptables iptables;
  private final Set<IpAddress> localIps;
  private final List<String> outputs = new ArrayList<>();
  private boolean masq;

  UpstreamTracer(FakeIptables iptables, Set<IpAddress> localIps) {
    this.iptables = iptables;
    this.localIps = localIps;
  }

  record Result(String output, boolean masq) {}

  Result trace(String src, String proto, String dst, String dport) {
    outputs.clear();
    masq = false;
    runChain("nat", "PREROUTING", src, proto, dst, dport);
    String d = dst;
    if (!outputs.isEmpty()) {
      String first = outputs.get(0);
      int colon = first.indexOf(':');
      d = colon < 0 ? first : first.substring(0, colon);
    }
    for (String c :
        List.of(
            "KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL")) {
      runChain("filter", c, src, proto, d, dport);
    }
    return new Result(String.join(", ", outputs), masq);
  }

  private boolean runChain(
      String table, String chain, String src, String proto, String dst, String dport) {
    for (String rule : iptables.rules(table, chain)) {
      List<String> w = RuleWords.split(rule);
      String target = RuleWords.target(w);
      if (target.isEmpty() || !matches(w, src, proto, dst, dport)) {
        continue;
      }
      switch (target) {
        case "KUBE-MARK-MASQ" -> masq = true;
        case "ACCEPT", "REJECT", "DROP" -> {
          outputs.add(target);
          return true;
        }
        case "DNAT" -> {
          outputs.add(value(w, "--to-destination"));
          return true;
        }
        default -> {
          boolean terminated =
              iptables.hasChain(table, target) && runChain(table, target, src, proto, dst, dport);
          if (terminated && !w.contains("--probability")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean matches(List<String> w, String src, String proto, String dst, String dport) {
    boolean negate = false;
    for (int i = 0; i < w.size(); i++) {
      String word = w.get(i);
      String next = i + 1 < w.size() ? w.get(i + 1) : "";
      boolean ok = true;
      switch (word) {
        case "!" -> {
          negate = true;
          continue;
        }
        case "--rcheck", "--mark", "--ctstate" -> {
          return false;
        }
        case "-s" -> ok = inCidr(src, next) != negate;
        case "-d" -> ok = inCidr(dst, next) != negate;
        case "--src-type" -> ok = type(src).equals(next) != negate;
        case "--dst-type" -> ok = type(dst).equals(next) != negate;
        case "-p" -> ok = next.equals(proto) != negate;
        case "--dport" -> ok = next.equals(dport) != negate;
        default -> {}
      }
      negate = false;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private String type(String ip) {
    try {
      return localIps.contains(IpAddress.parse(ip)) ? "LOCAL" : "not-matched";
    } catch (IllegalArgumentException e) {
      return "not-matched";
    }
  }

  private static boolean inCidr(String ip, String cidr) {
    try {
      return IpPrefix.parse(cidr).masked().contains(IpAddress.parse(ip));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String value(List<String> w, String option) {
    int i = w.indexOf(option);
    return i >= 0 && i + 1 < w.size() ? w.get(i + 1) : "";
  }
}
