package dev.podpath.proxy.iptables;

import static dev.podpath.proxy.iptables.ChainNames.EXTERNAL_SERVICES;
import static dev.podpath.proxy.iptables.ChainNames.FORWARD;
import static dev.podpath.proxy.iptables.ChainNames.KUBELET_FIREWALL;
import static dev.podpath.proxy.iptables.ChainNames.NODEPORTS;
import static dev.podpath.proxy.iptables.ChainNames.POSTROUTING;
import static dev.podpath.proxy.iptables.ChainNames.PROXY_FIREWALL;
import static dev.podpath.proxy.iptables.ChainNames.SERVICES;

import java.util.ArrayList;
import java.util.List;

/**
 * The jumps from the built-in chains into kube-proxy's chains, installed with {@code iptables -I}
 * outside the restore on every full sync (upstream's {@code iptablesJumpChains}, plus the kubelet's
 * {@code KUBE-FIREWALL} jumps when localhost NodePorts are on).
 */
public final class JumpRules {

  /** One jump: in {@code table}, from built-in {@code from} to {@code to}. */
  public record Jump(String table, String to, String from, String comment, List<String> extra) {

    /** The rule's arguments: extra matches, the comment, the jump. */
    public List<String> args() {
      List<String> args = new ArrayList<>(extra);
      if (!comment.isEmpty()) {
        args.addAll(List.of("-m", "comment", "--comment", comment));
      }
      args.addAll(List.of("-j", to));
      return args;
    }
  }

  private static final List<String> NEW = List.of("-m", "conntrack", "--ctstate", "NEW");

  /** Upstream's list, in upstream's order (each is prepended, so the last ends up first). */
  public static final List<Jump> KUBE_PROXY =
      List.of(
          new Jump(
              "filter",
              EXTERNAL_SERVICES,
              "INPUT",
              "kubernetes externally-visible service portals",
              NEW),
          new Jump(
              "filter",
              EXTERNAL_SERVICES,
              "FORWARD",
              "kubernetes externally-visible service portals",
              NEW),
          new Jump(
              "filter", NODEPORTS, "INPUT", "kubernetes health check service ports", List.of()),
          new Jump("filter", SERVICES, "FORWARD", "kubernetes service portals", NEW),
          new Jump("filter", SERVICES, "OUTPUT", "kubernetes service portals", NEW),
          new Jump("filter", FORWARD, "FORWARD", "kubernetes forwarding rules", List.of()),
          new Jump("filter", PROXY_FIREWALL, "INPUT", "kubernetes load balancer firewall", NEW),
          new Jump("filter", PROXY_FIREWALL, "OUTPUT", "kubernetes load balancer firewall", NEW),
          new Jump("filter", PROXY_FIREWALL, "FORWARD", "kubernetes load balancer firewall", NEW),
          new Jump("nat", SERVICES, "OUTPUT", "kubernetes service portals", List.of()),
          new Jump("nat", SERVICES, "PREROUTING", "kubernetes service portals", List.of()),
          new Jump("nat", POSTROUTING, "POSTROUTING", "kubernetes postrouting rules", List.of()));

  /** The kubelet's localnet firewall jumps (IPv4 with localhost NodePorts). */
  public static final List<Jump> KUBELET =
      List.of(
          new Jump("filter", KUBELET_FIREWALL, "INPUT", "", List.of()),
          new Jump("filter", KUBELET_FIREWALL, "OUTPUT", "", List.of()));

  private JumpRules() {}

  /** Ensures every chain and jump rule on {@code iptables}. */
  public static void ensure(Iptables iptables, IptablesOptions options) {
    for (Jump j : KUBE_PROXY) {
      iptables.ensureChain(j.table(), j.to());
      iptables.ensureRule(Iptables.Position.PREPEND, j.table(), j.from(), j.args());
    }
    if (!options.ipv6() && options.localhostNodePorts()) {
      for (Jump j : KUBELET) {
        iptables.ensureChain(j.table(), j.to());
        iptables.ensureRule(Iptables.Position.PREPEND, j.table(), j.from(), j.args());
      }
    }
  }
}
