package dev.podpath.proxy.ipvs;

import static dev.podpath.proxy.ipvs.IpSets.CLUSTER_IP;
import static dev.podpath.proxy.ipvs.IpSets.EXTERNAL_IP;
import static dev.podpath.proxy.ipvs.IpSets.EXTERNAL_IP_LOCAL;
import static dev.podpath.proxy.ipvs.IpSets.HEALTH_CHECK_NODE_PORT;
import static dev.podpath.proxy.ipvs.IpSets.IPVS_IPS;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER;

import dev.podpath.net.IpFamily;
import dev.podpath.proxy.iptables.ForwardRules;
import dev.podpath.proxy.iptables.Lines;
import dev.podpath.proxy.iptables.MasqueradeRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules IPVS mode installs (upstream's IPVS {@code writeIptablesRules}): nat {@code
 * KUBE-SERVICES} matching the ipsets, {@code KUBE-NODE-PORT}, {@code KUBE-LOAD-BALANCER}, the
 * masquerade chains; filter {@code KUBE-FORWARD}, the source-range firewall and {@code
 * KUBE-IPVS-FILTER}, which rejects new connections to other ports of service addresses.
 */
final class IpvsIptablesRules {

  static final String SERVICES = "KUBE-SERVICES";
  static final String POSTROUTING = "KUBE-POSTROUTING";
  static final String NODE_PORT = "KUBE-NODE-PORT";
  static final String LOAD_BALANCER_CHAIN = "KUBE-LOAD-BALANCER";
  static final String MARK_MASQ = "KUBE-MARK-MASQ";
  static final String FORWARD = "KUBE-FORWARD";
  static final String PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
  static final String SOURCE_RANGES_FIREWALL = "KUBE-SOURCE-RANGES-FIREWALL";
  static final String IPVS_FILTER = "KUBE-IPVS-FILTER";

  /** Chains IPVS mode creates, in upstream's order: {table, chain}. */
  static final List<List<String>> CHAINS =
      List.of(
          List.of("nat", SERVICES),
          List.of("nat", POSTROUTING),
          List.of("nat", NODE_PORT),
          List.of("nat", LOAD_BALANCER_CHAIN),
          List.of("nat", MARK_MASQ),
          List.of("filter", FORWARD),
          List.of("filter", NODE_PORT),
          List.of("filter", PROXY_FIREWALL),
          List.of("filter", SOURCE_RANGES_FIREWALL),
          List.of("filter", IPVS_FILTER));

  /** Jumps from built-in chains: {table, from, to, comment}, each prepended. */
  static final List<List<String>> JUMPS =
      List.of(
          List.of("nat", "OUTPUT", SERVICES, "kubernetes service portals"),
          List.of("nat", "PREROUTING", SERVICES, "kubernetes service portals"),
          List.of("nat", "POSTROUTING", POSTROUTING, "kubernetes postrouting rules"),
          List.of("filter", "FORWARD", FORWARD, "kubernetes forwarding rules"),
          List.of("filter", "INPUT", NODE_PORT, "kubernetes health check rules"),
          List.of("filter", "INPUT", PROXY_FIREWALL, "kube-proxy firewall rules"),
          List.of("filter", "FORWARD", PROXY_FIREWALL, "kube-proxy firewall rules"),
          List.of("filter", "INPUT", IPVS_FILTER, "kubernetes ipvs access filter"));

  /** Sets matched by one rule each: {set, table, from, to, matchType, protocol}. */
  private static final List<List<String>> SET_RULES =
      List.of(
          List.of(IpSets.LOOP_BACK, "nat", POSTROUTING, "MASQUERADE", "dst,dst,src", ""),
          List.of(IpSets.LOAD_BALANCER, "nat", SERVICES, LOAD_BALANCER_CHAIN, "dst,dst", ""),
          List.of(IpSets.LOAD_BALANCER_LOCAL, "nat", LOAD_BALANCER_CHAIN, "RETURN", "dst,dst", ""),
          List.of(IpSets.NODE_PORT_LOCAL_TCP, "nat", NODE_PORT, "RETURN", "dst", "tcp"),
          List.of(IpSets.NODE_PORT_TCP, "nat", NODE_PORT, MARK_MASQ, "dst", "tcp"),
          List.of(IpSets.NODE_PORT_LOCAL_UDP, "nat", NODE_PORT, "RETURN", "dst", "udp"),
          List.of(IpSets.NODE_PORT_UDP, "nat", NODE_PORT, MARK_MASQ, "dst", "udp"),
          List.of(IpSets.NODE_PORT_LOCAL_SCTP, "nat", NODE_PORT, "RETURN", "dst,dst", "sctp"),
          List.of(IpSets.NODE_PORT_SCTP, "nat", NODE_PORT, MARK_MASQ, "dst,dst", "sctp"),
          List.of(
              IpSets.LOAD_BALANCER_FW,
              "filter",
              PROXY_FIREWALL,
              SOURCE_RANGES_FIREWALL,
              "dst,dst",
              ""),
          List.of(
              IpSets.LOAD_BALANCER_SOURCE_CIDR,
              "filter",
              SOURCE_RANGES_FIREWALL,
              "RETURN",
              "dst,dst,src",
              ""),
          List.of(
              IpSets.LOAD_BALANCER_SOURCE_IP,
              "filter",
              SOURCE_RANGES_FIREWALL,
              "RETURN",
              "dst,dst,src",
              ""));

  private final IpvsOptions options;
  private final IpSets sets;
  private final Lines natChains = new Lines();
  private final Lines natRules = new Lines();
  private final Lines filterChains = new Lines();
  private final Lines filterRules = new Lines();

  IpvsIptablesRules(IpvsOptions options, IpSets sets) {
    this.options = options;
    this.sets = sets;
  }

  String restoreText() {
    filterChains.writeLine("*filter");
    natChains.writeLine("*nat");
    for (List<String> c : CHAINS) {
      (c.get(0).equals("nat") ? natChains : filterChains).writeLine(":" + c.get(1) + " - [0:0]");
    }
    writeRules();
    filterRules.writeLine("COMMIT");
    natRules.writeLine("COMMIT");
    return natChains.toString() + natRules + filterChains + filterRules;
  }

  private String set(String logical) {
    return sets.name(logical);
  }

  /** {@code -m comment --comment "…" -m set --match-set NAME}, the set's comment and name. */
  private List<String> commentedSet(String logical) {
    return List.of(
        "-m",
        "comment",
        "--comment",
        sets.comment(logical),
        "-m",
        "set",
        "--match-set",
        set(logical));
  }

  /** {@code -A CHAIN}, the set's comment and match, then {@code tail}. */
  private List<String> append(String chain, String logical, String... tail) {
    List<String> out = new ArrayList<>(List.of("-A", chain));
    out.addAll(commentedSet(logical));
    out.addAll(List.of(tail));
    return out;
  }

  private void writeRules() {
    String lo = options.family() == IpFamily.IPV6 ? "::1/128" : "127.0.0.0/8";
    natRules.write("-A", SERVICES, "-s", lo, "-j", "RETURN");
    for (List<String> r : SET_RULES) {
      if (sets.isEmpty(r.get(0))) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("-A", r.get(2)));
      if (!r.get(5).isEmpty()) {
        args.addAll(List.of("-p", r.get(5)));
      }
      args.addAll(commentedSet(r.get(0)));
      args.add(r.get(4));
      (r.get(1).equals("filter") ? filterRules : natRules).write(args, "-j", r.get(3));
    }
    if (!sets.isEmpty(CLUSTER_IP)) {
      var args = append(SERVICES, CLUSTER_IP);
      if (options.masqueradeAll()) {
        natRules.write(args, "dst,dst", "-j", MARK_MASQ);
      } else if (options.localDetector().implemented()) {
        natRules.write(args, "dst,dst", options.localDetector().ifNotLocal(), "-j", MARK_MASQ);
      } else {
        natRules.write(args, "src,dst", "-j", MARK_MASQ);
      }
    }
    if (!sets.isEmpty(EXTERNAL_IP)) {
      var args = append(SERVICES, EXTERNAL_IP, "dst,dst");
      natRules.write(args, "-j", MARK_MASQ);
      externalIpRules(args);
    }
    if (!sets.isEmpty(EXTERNAL_IP_LOCAL)) {
      externalIpRules(append(SERVICES, EXTERNAL_IP_LOCAL, "dst,dst"));
    }
    natRules.write("-A", SERVICES, "-m", "addrtype", "--dst-type", "LOCAL", "-j", NODE_PORT);
    natRules.write("-A", LOAD_BALANCER_CHAIN, "-j", MARK_MASQ);
    filterRules.write("-A", SOURCE_RANGES_FIREWALL, "-j", "DROP");
    for (String s : List.of(CLUSTER_IP, LOAD_BALANCER)) {
      if (!sets.isEmpty(s)) {
        natRules.write(
            "-A", SERVICES, "-m", "set", "--match-set", set(s), "dst,dst", "-j", "ACCEPT");
      }
    }
    String mark = options.masqueradeMark();
    ForwardRules.writeAccepts(filterRules, FORWARD, mark);
    filterRules.write(append(NODE_PORT, HEALTH_CHECK_NODE_PORT, "dst", "-j", "ACCEPT"));
    filterRules.write(
        "-A",
        IPVS_FILTER,
        "-m",
        "set",
        "--match-set",
        set(LOAD_BALANCER),
        "dst,dst",
        "-j",
        "RETURN");
    filterRules.write(
        "-A", IPVS_FILTER, "-m", "set", "--match-set", set(CLUSTER_IP), "dst,dst", "-j", "RETURN");
    filterRules.write(
        "-A", IPVS_FILTER, "-m", "set", "--match-set", set(EXTERNAL_IP), "dst,dst", "-j", "RETURN");
    filterRules.write(
        "-A",
        IPVS_FILTER,
        "-m",
        "set",
        "--match-set",
        set(HEALTH_CHECK_NODE_PORT),
        "dst",
        "-j",
        "RETURN");
    filterRules.write(
        "-A",
        IPVS_FILTER,
        "-m",
        "conntrack",
        "--ctstate",
        "NEW",
        "-m",
        "set",
        "--match-set",
        set(IPVS_IPS),
        "dst",
        "-j",
        "REJECT");
    MasqueradeRules.write(natRules, POSTROUTING, MARK_MASQ, mark, options.randomFully());
  }

  private void externalIpRules(List<String> args) {
    natRules.write(
        args,
        "-m",
        "physdev",
        "!",
        "--physdev-is-in",
        "-m",
        "addrtype",
        "!",
        "--src-type",
        "LOCAL",
        "-j",
        "ACCEPT");
    natRules.write(args, "-m", "addrtype", "--dst-type", "LOCAL", "-j", "ACCEPT");
  }
}
