package dev.podpath.policy.load;

import dev.podpath.net.IpPrefix;
import dev.podpath.net.PortSet;
import dev.podpath.net.Protocol;
import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import dev.podpath.policy.model.Peer;
import dev.podpath.policy.model.Policy;
import dev.podpath.policy.model.PortMatch;
import dev.podpath.policy.model.Rule;
import dev.podpath.policy.model.Selector;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a fabric8 {@link NetworkPolicy} into a validated {@link Policy}: the API server's
 * validation (selectors, CIDRs, ports, peers) and defaulting ({@code policyTypes}, TCP), so that
 * bad input fails here with the field path, never later during evaluation.
 */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  public static Policy compile(NetworkPolicy np, String origin) {
    String ns =
        np.getMetadata().getNamespace() == null || np.getMetadata().getNamespace().isEmpty()
            ? "default"
            : np.getMetadata().getNamespace();
    String name = np.getMetadata().getName() == null ? "" : np.getMetadata().getName();
    String where = origin + " NetworkPolicy " + ns + "/" + name;
    if (name.isEmpty()) {
      throw new InputException(where, "metadata.name: Required value");
    }
    var spec = np.getSpec();
    if (spec == null) {
      throw new InputException(where, "spec: Required value");
    }
    Selector podSelector =
        spec.getPodSelector() == null
            ? Selector.EVERYTHING
            : Labels.selector(spec.getPodSelector(), where, "spec.podSelector");
    var ingress = new ArrayList<Rule>();
    List<NetworkPolicyIngressRule> in = spec.getIngress() == null ? List.of() : spec.getIngress();
    for (int i = 0; i < in.size(); i++) {
      var r = in.get(i);
      String f = "spec.ingress[" + i + "]";
      ingress.add(
          new Rule(
              Direction.INGRESS,
              i + 1,
              peers(r.getFrom(), ns, where, f + ".from"),
              ports(r.getPorts(), where, f + ".ports")));
    }
    var egress = new ArrayList<Rule>();
    List<NetworkPolicyEgressRule> out = spec.getEgress() == null ? List.of() : spec.getEgress();
    for (int i = 0; i < out.size(); i++) {
      var r = out.get(i);
      String f = "spec.egress[" + i + "]";
      var rule =
          new Rule(
              Direction.EGRESS,
              i + 1,
              peers(r.getTo(), ns, where, f + ".to"),
              ports(r.getPorts(), where, f + ".ports"));
      boolean named = rule.ports().stream().anyMatch(p -> p instanceof PortMatch.Named);
      boolean ipPeer = rule.peers().stream().anyMatch(p -> p instanceof Peer.IpBlock);
      if (named && ipPeer) {
        throw new InputException(
            where,
            "named port error: "
                + f
                + ": cannot convert named port for an IP destination (ipBlock peers have no container"
                + " ports to resolve the name on)");
      }
      egress.add(rule);
    }
    return new Policy(
        ns,
        name,
        podSelector,
        types(spec.getPolicyTypes(), !egress.isEmpty(), where),
        ingress,
        egress);
  }

  private static Set<Direction> types(List<String> listed, boolean hasEgress, String where) {
    var types = EnumSet.noneOf(Direction.class);
    if (listed == null || listed.isEmpty()) {
      types.add(Direction.INGRESS);
      if (hasEgress) {
        types.add(Direction.EGRESS);
      }
      return types;
    }
    for (String t : listed) {
      switch (t) {
        case "Ingress" -> types.add(Direction.INGRESS);
        case "Egress" -> types.add(Direction.EGRESS);
        default ->
            throw new InputException(
                where,
                "spec.policyTypes: Unsupported value: \""
                    + t
                    + "\": supported values: \"Ingress\", \"Egress\"");
      }
    }
    return types;
  }

  private static List<Peer> peers(List<NetworkPolicyPeer> list, String ns, String where, String f) {
    var out = new ArrayList<Peer>();
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      var p = list.get(i);
      String pf = f + "[" + i + "]";
      boolean selectors = p.getPodSelector() != null || p.getNamespaceSelector() != null;
      if (p.getIpBlock() != null && selectors) {
        throw new InputException(
            where,
            "rule NetworkPolicyPeer error: "
                + pf
                + ": cannot have both IPBlock and PodSelector/NamespaceSelector set");
      }
      if (p.getIpBlock() != null) {
        out.add(ipBlock(p.getIpBlock(), where, pf + ".ipBlock"));
      } else if (selectors) {
        Optional<Selector> nsSel =
            Optional.ofNullable(p.getNamespaceSelector())
                .map(s -> Labels.selector(s, where, pf + ".namespaceSelector"));
        Selector podSel =
            p.getPodSelector() == null
                ? Selector.EVERYTHING
                : Labels.selector(p.getPodSelector(), where, pf + ".podSelector");
        out.add(new Peer.Pods(ns, nsSel, podSel));
      } else {
        throw new InputException(
            where,
            "rule NetworkPolicyPeer error: "
                + pf
                + ": cannot have empty rule peer (set podSelector, namespaceSelector or ipBlock)");
      }
    }
    return out;
  }

  private static Peer.IpBlock ipBlock(IPBlock b, String where, String f) {
    IpPrefix cidr = cidr(b.getCidr(), where, f + ".cidr");
    var except = new ArrayList<IpPrefix>();
    List<String> ex = b.getExcept() == null ? List.of() : b.getExcept();
    for (int i = 0; i < ex.size(); i++) {
      IpPrefix e = cidr(ex.get(i), where, f + ".except[" + i + "]");
      if (e.family() != cidr.family() || !cidr.masked().contains(e.masked())) {
        throw new InputException(
            where,
            "CIDR error: "
                + f
                + ".except["
                + i
                + "]: Invalid value: \""
                + ex.get(i)
                + "\": must be a strict subset of `cidr`");
      }
      except.add(e.masked());
    }
    return Peer.IpBlock.of(cidr, except);
  }

  private static IpPrefix cidr(String text, String where, String f) {
    try {
      if (text == null || text.indexOf('/') < 0) {
        throw new IllegalArgumentException("missing prefix length");
      }
      return IpPrefix.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(where, "CIDR error: " + f + ": invalid CIDR address: " + text);
    }
  }

  private static List<PortMatch> ports(List<NetworkPolicyPort> list, String where, String f) {
    var out = new ArrayList<PortMatch>();
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      out.add(port(list.get(i), where, f + "[" + i + "]"));
    }
    return out;
  }

  private static PortMatch port(NetworkPolicyPort p, String where, String f) {
    Protocol proto = protocol(p.getProtocol(), where, f + ".protocol");
    IntOrString port = p.getPort();
    Integer end = p.getEndPort();
    if (port == null) {
      if (end != null) {
        throw new InputException(where, f + ".endPort: may not be specified when port is not");
      }
      return new PortMatch.Numbered(proto, ConnectionSet.PORTS);
    }
    Integer number = port.getIntVal();
    String named = port.getStrVal();
    if (number == null && named != null && named.matches("[0-9]+")) {
      number = Integer.parseInt(named);
    }
    if (number == null) {
      if (end != null) {
        throw new InputException(
            where,
            f
                + ": endPort field cannot be defined if the port field"
                + " is defined as a named (string) port");
      }
      if (named == null
          || !named.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")
          || named.length() > 15
          || !named.matches(".*[a-z].*")) {
        throw new InputException(
            where,
            f
                + ".port: Invalid value: \""
                + named
                + "\": must be a port number or an IANA service name");
      }
      return new PortMatch.Named(proto, named);
    }
    int low = number;
    int high = end == null ? low : end;
    if (low < 1 || low > 65535 || high < 1 || high > 65535 || high < low) {
      throw new InputException(
          where,
          f
              + ": port range "
              + low
              + "-"
              + high
              + " is illegal;"
              + " start and end values of the port range should be in {1-65535} and end may not be"
              + " less than start");
    }
    return new PortMatch.Numbered(proto, PortSet.range(low, high));
  }

  private static Protocol protocol(String text, String where, String f) {
    if (text == null || text.isEmpty()) {
      return Protocol.TCP;
    }
    return switch (text) {
      case "TCP" -> Protocol.TCP;
      case "UDP" -> Protocol.UDP;
      case "SCTP" -> Protocol.SCTP;
      default ->
          throw new InputException(
              where,
              f
                  + ": Unsupported value: \""
                  + text
                  + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    };
  }
}
