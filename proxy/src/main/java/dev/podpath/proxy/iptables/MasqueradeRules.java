package dev.podpath.proxy.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * The masquerade rules kube-proxy writes in iptables and IPVS mode alike: {@code KUBE-POSTROUTING}
 * returns unmarked packets, clears the mark and masquerades the rest, and {@code KUBE-MARK-MASQ}
 * sets the mark.
 */
public final class MasqueradeRules {

  private MasqueradeRules() {}

  /**
   * Writes the four rules to {@code natRules}.
   *
   * @param randomFully whether to add {@code --random-fully} to the MASQUERADE rule
   */
  public static void write(
      Lines natRules, String postrouting, String markMasq, String mark, boolean randomFully) {
    natRules.write(
        "-A", postrouting, "-m", "mark", "!", "--mark", mark + "/" + mark, "-j", "RETURN");
    natRules.write("-A", postrouting, "-j", "MARK", "--xor-mark", mark);
    List<String> masq =
        new ArrayList<>(
            List.of(
                "-A",
                postrouting,
                "-m",
                "comment",
                "--comment",
                "\"kubernetes service traffic requiring SNAT\"",
                "-j",
                "MASQUERADE"));
    if (randomFully) {
      masq.add("--random-fully");
    }
    natRules.write(masq);
    natRules.write("-A", markMasq, "-j", "MARK", "--or-mark", mark);
  }
}
