package dev.podpath.proxy.iptables;

/**
 * The two accept rules of {@code KUBE-FORWARD} that kube-proxy writes in iptables and IPVS mode
 * alike: packets carrying the masquerade mark, and packets of tracked connections.
 */
public final class ForwardRules {

  private ForwardRules() {}

  /** Writes both rules to {@code filterRules}, for the chain {@code forward}. */
  public static void writeAccepts(Lines filterRules, String forward, String mark) {
    filterRules.write(
        "-A",
        forward,
        "-m",
        "comment",
        "--comment",
        "\"kubernetes forwarding rules\"",
        "-m",
        "mark",
        "--mark",
        mark + "/" + mark,
        "-j",
        "ACCEPT");
    filterRules.write(
        "-A",
        forward,
        "-m",
        "comment",
        "--comment",
        "\"kubernetes forwarding conntrack rule\"",
        "-m",
        "conntrack",
        "--ctstate",
        "RELATED,ESTABLISHED",
        "-j",
        "ACCEPT");
  }
}
