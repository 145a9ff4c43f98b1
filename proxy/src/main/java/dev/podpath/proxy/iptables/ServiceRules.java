package dev.podpath.proxy.iptables;

import static dev.podpath.proxy.iptables.ChainNames.EXTERNAL_SERVICES;
import static dev.podpath.proxy.iptables.ChainNames.MARK_MASQ;
import static dev.podpath.proxy.iptables.ChainNames.NODEPORTS;
import static dev.podpath.proxy.iptables.ChainNames.PROXY_FIREWALL;
import static dev.podpath.proxy.iptables.ChainNames.SERVICES;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.Endpoint;
import dev.podpath.proxy.EndpointCategories;
import dev.podpath.proxy.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of one service port, as upstream's iptables proxier writes them in each sync: filter
 * rules (REJECT without endpoints, DROP without local ones, LB firewall, health-check port) and the
 * nat {@code KUBE-SERVICES}/{@code KUBE-NODEPORTS} jumps always; the port's own chains (EXT, FW,
 * SVC, SVL, SEP) only when asked to, as a partial sync leaves unchanged services alone.
 */
final class ServiceRules {

  private final IptablesOptions options;
  private final RestoreBuffers out;
  private final boolean largeClusterMode;

  ServiceRules(IptablesOptions options, RestoreBuffers out, boolean largeClusterMode) {
    this.options = options;
    this.out = out;
    this.largeClusterMode = largeClusterMode;
  }

  /** What one port's rules depend on, derived once (upstream's locals of the sync loop). */
  private record Facts(
      ServicePort svc,
      EndpointCategories eps,
      String name,
      String proto,
      String port,
      List<String> protoArgs,
      String clusterChain,
      String localChain,
      boolean hasEndpoints,
      String internalChain,
      boolean hasInternal,
      String externalPolicyChain,
      boolean hasExternal,
      String extChain,
      boolean usesExtChain,
      String fwChain,
      boolean usesFwChain,
      String internalTarget,
      String internalComment,
      String externalTarget,
      String externalComment) {

    static Facts of(ServicePort svc, EndpointCategories eps) {
      var spn = svc.name();
      String name = spn.toString();
      String proto = spn.protocolName();
      String clusterChain = ChainNames.svc(spn);
      String localChain = ChainNames.svl(spn);
      boolean hasEndpoints = eps.hasAny();
      boolean hasInternal = svc.internalPolicyLocal() ? !eps.local().isEmpty() : hasEndpoints;
      boolean hasExternal = svc.externalPolicyLocal() ? !eps.local().isEmpty() : hasEndpoints;
      boolean usesFwChain =
          hasEndpoints
              && !svc.loadBalancerVips().isEmpty()
              && !svc.loadBalancerSourceRanges().isEmpty();
      String internalTarget = "";
      String internalComment = "";
      String externalTarget = "";
      String externalComment = "";
      if (!hasEndpoints) {
        internalTarget = "REJECT";
        internalComment = quote(name + " has no endpoints");
        externalTarget = "REJECT";
        externalComment = internalComment;
      } else {
        if (!hasInternal) {
          internalTarget = "DROP";
          internalComment = quote(name + " has no local endpoints");
        }
        if (!hasExternal) {
          externalTarget = "DROP";
          externalComment = quote(name + " has no local endpoints");
        }
      }
      return new Facts(
          svc,
          eps,
          name,
          proto,
          Integer.toString(svc.port()),
          List.of("-m", proto, "-p", proto),
          clusterChain,
          localChain,
          hasEndpoints,
          svc.internalPolicyLocal() ? localChain : clusterChain,
          hasInternal,
          svc.externalPolicyLocal() ? localChain : clusterChain,
          hasExternal,
          ChainNames.ext(spn),
          hasEndpoints && svc.externallyAccessible(),
          ChainNames.fw(spn),
          usesFwChain,
          internalTarget,
          internalComment,
          externalTarget,
          externalComment);
    }

    String lbChain() {
      return usesFwChain ? fwChain : extChain;
    }
  }

  /**
   * Writes one port's rules; adds the chains it uses to {@code activeChains}.
   *
   * @param writeChains false to leave the port's own chains out (unchanged, partial sync)
   */
  void write(
      ServicePort svc, EndpointCategories eps, boolean writeChains, Set<String> activeChains) {
    Facts f = Facts.of(svc, eps);
    captureClusterIp(f);
    captureExternalIps(f);
    captureLoadBalancerIps(f);
    captureNodePort(f);
    if (svc.healthCheckNodePort() != 0) {
      out.filterRules.write(
          head(NODEPORTS, quote(f.name() + " health check node port")),
          "-m",
          "tcp",
          "-p",
          "tcp",
          "--dport",
          Integer.toString(svc.healthCheckNodePort()),
          "-j",
          "ACCEPT");
    }
    Lines chains = writeChains ? out.natChains : out.skippedNatChains;
    Lines rules = writeChains ? out.natRules : out.skippedNatRules;
    writeInternalMasquerade(f, rules);
    if (f.usesExtChain()) {
      chains.writeLine(RestoreBuffers.chainLine(f.extChain()));
      activeChains.add(f.extChain());
      writeExternalChain(f, rules);
    }
    if (f.usesFwChain()) {
      chains.writeLine(RestoreBuffers.chainLine(f.fwChain()));
      activeChains.add(f.fwChain());
      writeFirewallChain(f, rules);
    }
    if (!eps.cluster().isEmpty() && svc.usesClusterEndpoints()) {
      chains.writeLine(RestoreBuffers.chainLine(f.clusterChain()));
      activeChains.add(f.clusterChain());
      writeEndpointJumps(rules, svc, f.clusterChain(), eps.cluster());
    }
    if (!eps.local().isEmpty() && svc.usesLocalEndpoints()) {
      chains.writeLine(RestoreBuffers.chainLine(f.localChain()));
      activeChains.add(f.localChain());
      writeEndpointJumps(rules, svc, f.localChain(), eps.local());
    }
    for (Endpoint ep : eps.allReachable()) {
      String sep = ChainNames.sep(svc.name(), ep);
      chains.writeLine(RestoreBuffers.chainLine(sep));
      activeChains.add(sep);
      writeEndpointChain(f, rules, sep, ep);
    }
  }

  /** The cluster IP: to the internal chain, or REJECT/DROP in filter when it has no endpoints. */
  private void captureClusterIp(Facts f) {
    String ip = f.svc().clusterIp().toString();
    if (f.hasInternal()) {
      toDestination(
          out.natRules, SERVICES, quote(f.name() + " cluster IP"), f, ip, f.internalChain());
    } else {
      toDestination(out.filterRules, SERVICES, f.internalComment(), f, ip, f.internalTarget());
    }
  }

  private void captureExternalIps(Facts f) {
    for (IpAddress ip : f.svc().externalIps()) {
      if (f.hasEndpoints()) {
        toDestination(
            out.natRules,
            SERVICES,
            quote(f.name() + " external IP"),
            f,
            ip.toString(),
            f.extChain());
      }
      if (!f.hasExternal()) {
        refuseExternal(f, List.of("-d", ip.toString()));
      }
    }
  }

  private void captureLoadBalancerIps(Facts f) {
    for (IpAddress ip : f.svc().loadBalancerVips()) {
      if (f.hasEndpoints()) {
        toDestination(
            out.natRules,
            SERVICES,
            quote(f.name() + " loadbalancer IP"),
            f,
            ip.toString(),
            f.lbChain());
      }
      if (f.usesFwChain()) {
        toDestination(
            out.filterRules,
            PROXY_FIREWALL,
            quote(f.name() + " traffic not accepted by " + f.fwChain()),
            f,
            ip.toString(),
            "DROP");
      }
    }
    if (!f.hasExternal()) {
      for (IpAddress ip : f.svc().loadBalancerVips()) {
        refuseExternal(f, List.of("-d", ip.toString()));
      }
    }
  }

  private void captureNodePort(Facts f) {
    if (f.svc().nodePort() == 0) {
      return;
    }
    String nodePort = Integer.toString(f.svc().nodePort());
    if (f.hasEndpoints()) {
      var head = head(NODEPORTS, f.name());
      if (!options.ipv6()
          && options.localhostNodePorts()
          && options.nfacctCounters().contains(IptablesOptions.LOCALHOST_NODEPORTS_COUNTER)) {
        out.natRules.write(
            head,
            f.protoArgs(),
            "-d",
            "127.0.0.0/8",
            "--dport",
            nodePort,
            "-m",
            "nfacct",
            "--nfacct-name",
            IptablesOptions.LOCALHOST_NODEPORTS_COUNTER,
            "-j",
            f.extChain());
      }
      out.natRules.write(head, f.protoArgs(), "--dport", nodePort, "-j", f.extChain());
    }
    if (!f.hasExternal()) {
      out.filterRules.write(
          head(EXTERNAL_SERVICES, f.externalComment()),
          "-m",
          "addrtype",
          "--dst-type",
          "LOCAL",
          f.protoArgs(),
          "--dport",
          nodePort,
          "-j",
          f.externalTarget());
    }
  }

  /** {@code -A chain -m comment --comment comment}: how a port's rules begin. */
  private static List<String> head(String chain, String comment) {
    return List.of("-A", chain, "-m", "comment", "--comment", comment);
  }

  /** {@code head -m PROTO -p PROTO -d ip --dport PORT -j target}: a rule for one destination. */
  private static void toDestination(
      Lines buf, String chain, String comment, Facts f, String ip, String target) {
    buf.write(head(chain, comment), f.protoArgs(), "-d", ip, "--dport", f.port(), "-j", target);
  }

  /** filter {@code KUBE-EXTERNAL-SERVICES}: REJECT/DROP external traffic that has no endpoint. */
  private void refuseExternal(Facts f, List<String> destination) {
    out.filterRules.write(
        head(EXTERNAL_SERVICES, f.externalComment()),
        f.protoArgs(),
        destination,
        "--dport",
        f.port(),
        "-j",
        f.externalTarget());
  }

  /** The internal chain's first rule: masquerade off-cluster traffic to the cluster IP. */
  private void writeInternalMasquerade(Facts f, Lines rules) {
    if (!f.hasInternal()) {
      return;
    }
    var args =
        List.of(
            head(f.internalChain(), quote(f.name() + " cluster IP")),
            f.protoArgs(),
            "-d",
            f.svc().clusterIp().toString(),
            "--dport",
            f.port());
    if (options.masqueradeAll()) {
      rules.write(args, "-j", MARK_MASQ);
    } else if (options.localDetector().implemented()) {
      rules.write(args, options.localDetector().ifNotLocal(), "-j", MARK_MASQ);
    }
  }

  /** KUBE-EXT: masquerade (Cluster policy) or the local short-circuits (Local policy). */
  private void writeExternalChain(Facts f, Lines rules) {
    String ext = f.extChain();
    String destinations = f.name() + " external destinations";
    if (!f.svc().externalPolicyLocal()) {
      rules.write(head(ext, quote("masquerade traffic for " + destinations)), "-j", MARK_MASQ);
    } else {
      if (options.localDetector().implemented()) {
        rules.write(
            head(ext, quote("pod traffic for " + destinations)),
            options.localDetector().ifLocal(),
            "-j",
            f.clusterChain());
      }
      var fromLocal = List.of("-m", "addrtype", "--src-type", "LOCAL");
      rules.write(
          head(ext, quote("masquerade LOCAL traffic for " + destinations)),
          fromLocal,
          "-j",
          MARK_MASQ);
      rules.write(
          head(ext, quote("route LOCAL traffic for " + destinations)),
          fromLocal,
          "-j",
          f.clusterChain());
    }
    if (f.hasExternal()) {
      rules.write("-A", ext, "-j", f.externalPolicyChain());
    }
  }

  /** KUBE-FW: the allowed source ranges (and the LB IPs when a range holds the node IP). */
  private void writeFirewallChain(Facts f, Lines rules) {
    var args = head(f.fwChain(), quote(f.name() + " loadbalancer IP"));
    boolean allowFromNode = false;
    for (IpPrefix cidr : f.svc().loadBalancerSourceRanges()) {
      rules.write(args, "-s", cidr.toString(), "-j", f.extChain());
      allowFromNode |= cidr.contains(options.nodeIp());
    }
    if (allowFromNode) {
      for (IpAddress ip : f.svc().loadBalancerVips()) {
        rules.write(args, "-s", ip.toString(), "-j", f.extChain());
      }
    }
    rules.write(
        head(
            f.fwChain(),
            quote("other traffic to " + f.name() + " will be dropped by KUBE-PROXY-FIREWALL")));
  }

  /** KUBE-SEP: hairpin masquerade, then the DNAT (recording the client for ClientIP affinity). */
  private void writeEndpointChain(Facts f, Lines rules, String sep, Endpoint ep) {
    List<String> args = new ArrayList<>(List.of("-A", sep));
    comment(args, f.name());
    rules.write(args, "-s", ep.ip().toString(), "-j", MARK_MASQ);
    if (f.svc().hasClientIpAffinity()) {
      args.addAll(List.of("-m", "recent", "--name", sep, "--set"));
    }
    rules.write(args, f.protoArgs(), "-j", "DNAT", "--to-destination", ep.toString());
  }

  private void writeEndpointJumps(Lines rules, ServicePort svc, String chain, List<Endpoint> eps) {
    String name = svc.name().toString();
    if (svc.hasClientIpAffinity()) {
      for (Endpoint ep : eps) {
        String sep = ChainNames.sep(svc.name(), ep);
        List<String> args = new ArrayList<>(List.of("-A", chain));
        comment(args, quote(name + " -> " + ep));
        rules.write(
            args,
            "-m",
            "recent",
            "--name",
            sep,
            "--rcheck",
            "--seconds",
            Integer.toString(svc.affinitySeconds()),
            "--reap",
            "-j",
            sep);
      }
    }
    int n = eps.size();
    for (int i = 0; i < n; i++) {
      Endpoint ep = eps.get(i);
      List<String> args = new ArrayList<>(List.of("-A", chain));
      comment(args, quote(name + " -> " + ep));
      if (i < n - 1) {
        args.addAll(
            List.of("-m", "statistic", "--mode", "random", "--probability", Probability.of(n - i)));
      }
      rules.write(args, "-j", ChainNames.sep(svc.name(), ep));
    }
  }

  private void comment(List<String> args, String comment) {
    if (!largeClusterMode) {
      args.addAll(List.of("-m", "comment", "--comment", comment));
    }
  }

  static String quote(String text) {
    return "\"" + text + "\"";
  }
}
