package dev.podpath.bench.kernel;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A nat table shaped like kube-proxy's iptables mode: {@code KUBE-SERVICES} with one rule per
 * service (linear, as kube-proxy writes it), a {@code KUBE-SVC-} chain per service splitting 50/50
 * with {@code -m statistic} between two {@code KUBE-SEP-} chains, each marking hairpin traffic for
 * masquerade and DNATing, and {@code KUBE-POSTROUTING} masquerading marked packets.
 */
final class KubeProxyNat {

  private KubeProxyNat() {}

  /** The virtual address of service {@code i}: 10.96.0.0/12 counted up from 10.96.0.10. */
  static Ipv4Address vip(int i) {
    return new Ipv4Address(Ipv4Address.parse("10.96.0.10").bits() + i);
  }

  static Table build(int services, List<IpAddress> endpoints, int endpointPort) {
    var chains = new ArrayList<Chain>();
    chains.add(
        Chain.builtin("PREROUTING", Policy.ACCEPT)
            .append(
                jump(
                    "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                    "KUBE-SERVICES",
                    comment("kubernetes service portals"))));
    chains.add(Chain.builtin("INPUT", Policy.ACCEPT));
    chains.add(
        Chain.builtin("OUTPUT", Policy.ACCEPT)
            .append(
                jump(
                    "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                    "KUBE-SERVICES",
                    comment("kubernetes service portals"))));
    chains.add(
        Chain.builtin("POSTROUTING", Policy.ACCEPT)
            .append(
                jump(
                    "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
                    "KUBE-POSTROUTING",
                    comment("kubernetes postrouting rules"))));
    chains.add(
        Chain.user("KUBE-MARK-MASQ")
            .append(
                Rule.of(
                    "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
                    Target.Mark.setXmark(0x4000, 0x4000))));
    chains.add(
        Chain.user("KUBE-POSTROUTING")
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                    new Target.Return(),
                    new Match.Mark(0x4000, 0x4000, true)))
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
                    Target.Mark.setXmark(0x4000, 0)))
            .append(
                Rule.of(
                    "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
                    new Target.Masquerade(Optional.empty(), false, true),
                    comment("kubernetes service traffic requiring SNAT"))));
    var services_ = Chain.user("KUBE-SERVICES");
    chains.add(Chain.user("KUBE-NODEPORTS"));
    for (int i = 0; i < services; i++) {
      String name = "default/svc-" + i + ":http";
      String svc = "KUBE-SVC-" + hash("svc" + i);
      var vip = vip(i);
      services_ =
          services_.append(
              Rule.of(
                  "-A KUBE-SERVICES -d "
                      + vip
                      + "/32 -p tcp -m comment --comment \""
                      + name
                      + " cluster IP\" -m tcp --dport 80 -j "
                      + svc,
                  new Target.Jump(svc),
                  new Match.Destination(IpPrefix.host(vip), false),
                  new Match.Proto(Protocol.TCP, false),
                  comment(name + " cluster IP"),
                  dport(80)));
      var svcChain = Chain.user(svc);
      for (int e = 0; e < endpoints.size(); e++) {
        String sep = "KUBE-SEP-" + hash("svc" + i + "ep" + e);
        var ep = endpoints.get(e);
        var toSep = new Target.Jump(sep);
        if (e < endpoints.size() - 1) {
          double p = 1.0 / (endpoints.size() - e);
          svcChain =
              svcChain.append(
                  Rule.of(
                      String.format(
                          Locale.ROOT,
                          "-A %s -m comment --comment \"%s -> %s:%d\" -m statistic --mode random --probability %.11f -j %s",
                          svc,
                          name,
                          ep,
                          endpointPort,
                          p,
                          sep),
                      toSep,
                      comment(name + " -> " + ep + ":" + endpointPort),
                      Match.Statistic.random(p)));
        } else {
          svcChain =
              svcChain.append(
                  Rule.of(
                      "-A "
                          + svc
                          + " -m comment --comment \""
                          + name
                          + " -> "
                          + ep
                          + ":"
                          + endpointPort
                          + "\" -j "
                          + sep,
                      toSep,
                      comment(name + " -> " + ep + ":" + endpointPort)));
        }
        chains.add(
            Chain.user(sep)
                .append(
                    Rule.of(
                        "-A "
                            + sep
                            + " -s "
                            + ep
                            + "/32 -m comment --comment \""
                            + name
                            + "\" -j KUBE-MARK-MASQ",
                        new Target.Jump("KUBE-MARK-MASQ"),
                        new Match.Source(IpPrefix.host(ep), false),
                        comment(name)))
                .append(
                    Rule.of(
                        "-A "
                            + sep
                            + " -p tcp -m comment --comment \""
                            + name
                            + "\" -m tcp -j DNAT --to-destination "
                            + ep
                            + ":"
                            + endpointPort,
                        Target.Dnat.to(ep, endpointPort),
                        new Match.Proto(Protocol.TCP, false),
                        comment(name))));
      }
      chains.add(svcChain);
    }
    services_ =
        services_.append(
            Rule.of(
                "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
                new Target.Jump("KUBE-NODEPORTS"),
                comment(
                    "kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
                new Match.AddrType(
                    Optional.empty(),
                    Optional.of(Negatable.of(Set.of(AddressType.LOCAL))),
                    false,
                    false)));
    chains.add(services_);
    return new Table(IpFamily.IPV4, TableName.NAT, chains);
  }

  private static Rule jump(String text, String chain, Match... m) {
    return Rule.of(text, new Target.Jump(chain), m);
  }

  private static Match comment(String text) {
    return new Match.Comment(text);
  }

  private static Match dport(int port) {
    return new Match.Tcp(
        Optional.empty(), Optional.of(Negatable.of(PortRange.of(port))), Optional.empty());
  }

  /** A 16-character upper-case base32-like name part, as kube-proxy's chain names have. */
  private static String hash(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    var sb = new StringBuilder();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int i = 0; i < 16; i++) {
      sb.append(alphabet.charAt((int) ((h >>> (i * 4)) & 31)));
      h = h * 6364136223846793005L + 1442695040888963407L;
    }
    return sb.toString();
  }
}
