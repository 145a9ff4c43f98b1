package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which rules of a long chain a packet can match, by exact destination address and destination
 * port, so that a chain of one rule per service (kube-proxy's {@code KUBE-SERVICES}, {@code
 * KUBE-NODEPORTS}) costs the same for ten services and for thirty thousand.
 *
 * <p>The kernel tries every rule in order; skipping a rule changes nothing when the rule could not
 * have matched <em>and</em> trying it would have left no trace. A rule is filed under
 *
 * <ul>
 *   <li>its address when it has {@code -d ADDR/32} (or {@code /128}) without {@code !}: the rule's
 *       own fields are checked before any extension ({@code ip_packet_match}), so for a packet to
 *       another address no extension of the rule runs;
 *   <li>its protocol and port when it has {@code -m tcp}/{@code -m udp} with {@code --dport PORT}
 *       (one port, without {@code !}) and every extension checked before that match has no side
 *       effect (no {@code statistic}, whose nth counter and random draw count every try, no {@code
 *       recent}, {@code nfacct} or {@code set}): a packet of another protocol or port fails at that
 *       match, having changed nothing;
 *   <li>both, or neither (then it is a candidate for every packet).
 * </ul>
 *
 * The candidates of a packet are the union of its four lists, walked in rule order, so first-match
 * semantics, counters, {@code RETURN} and jumps are exactly those of the linear walk; {@code
 * ChainIndexEquivalenceProperties} checks that against a linear walk on random rulesets.
 */
final class RuleIndex {

  /** Chains shorter than this are walked rule by rule: an index would not pay for itself. */
  static final int INDEX_FROM = 32;

  private record PortKey(Protocol protocol, int port) {}

  private record AddressPortKey(IpAddress address, Protocol protocol, int port) {}

  private final int length;
  private final int[] others;
  private final Map<IpAddress, int[]> byAddress;
  private final Map<PortKey, int[]> byPort;
  private final Map<AddressPortKey, int[]> byAddressPort;

  private RuleIndex(
      int length,
      int[] others,
      Map<IpAddress, int[]> byAddress,
      Map<PortKey, int[]> byPort,
      Map<AddressPortKey, int[]> byAddressPort) {
    this.length = length;
    this.others = others;
    this.byAddress = byAddress;
    this.byPort = byPort;
    this.byAddressPort = byAddressPort;
  }

  /** The index of a chain's rules, or empty when the chain is shorter than {@code indexFrom}. */
  static Optional<RuleIndex> of(List<Rule> rules, int indexFrom) {
    if (rules.size() < indexFrom) {
      return Optional.empty();
    }
    var others = new ArrayList<Integer>();
    var byAddress = new HashMap<IpAddress, List<Integer>>();
    var byPort = new HashMap<PortKey, List<Integer>>();
    var byAddressPort = new HashMap<AddressPortKey, List<Integer>>();
    for (int i = 0; i < rules.size(); i++) {
      List<Match> ms = evaluationOrder(rules.get(i));
      Optional<IpAddress> address = address(ms);
      Optional<PortKey> port = port(ms);
      if (address.isPresent() && port.isPresent()) {
        var k = new AddressPortKey(address.get(), port.get().protocol(), port.get().port());
        byAddressPort.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      } else if (address.isPresent()) {
        byAddress.computeIfAbsent(address.get(), x -> new ArrayList<>()).add(i);
      } else if (port.isPresent()) {
        byPort.computeIfAbsent(port.get(), x -> new ArrayList<>()).add(i);
      } else {
        others.add(i);
      }
    }
    return Optional.of(
        new RuleIndex(
            rules.size(), ints(others), arrays(byAddress), arrays(byPort), arrays(byAddressPort)));
  }

  /** The first rule at or after {@code from} that {@code p} may match, or the chain's length. */
  int next(int from, Packet p) {
    int best = first(others, from, length);
    int[] a = byAddress.get(p.dst());
    if (a != null) {
      best = first(a, from, best);
    }
    Protocol proto = p.protocol();
    if ((proto == Protocol.TCP || proto == Protocol.UDP)
        && (!byPort.isEmpty() || !byAddressPort.isEmpty())) {
      int[] b = byPort.get(new PortKey(proto, p.dstPort()));
      if (b != null) {
        best = first(b, from, best);
      }
      int[] c = byAddressPort.get(new AddressPortKey(p.dst(), proto, p.dstPort()));
      if (c != null) {
        best = first(c, from, best);
      }
    }
    return best;
  }

  /** How many rules are filed under an address, a port or both (the rest are tried always). */
  int keyed() {
    return length - others.length;
  }

  /** The smallest element of sorted {@code rules} that is at least {@code from}, if below max. */
  private static int first(int[] rules, int from, int max) {
    int pos = Arrays.binarySearch(rules, from);
    if (pos < 0) {
      pos = -pos - 1;
    }
    return pos < rules.length && rules[pos] < max ? rules[pos] : max;
  }

  private static Optional<IpAddress> address(List<Match> ms) {
    for (Match m : ms) {
      if (m instanceof Match.Destination d && !d.inverted() && d.prefix().isHost()) {
        return Optional.of(d.prefix().address());
      }
    }
    return Optional.empty();
  }

  /** The port key of the first single-port {@code --dport} reached without a side effect. */
  private static Optional<PortKey> port(List<Match> ms) {
    for (Match m : ms) {
      switch (m) {
        case Match.Tcp t -> {
          Optional<PortKey> k = single(Protocol.TCP, t.destinationPorts().orElse(null));
          if (k.isPresent()) {
            return k;
          }
        }
        case Match.Udp u -> {
          Optional<PortKey> k = single(Protocol.UDP, u.destinationPorts().orElse(null));
          if (k.isPresent()) {
            return k;
          }
        }
        default -> {
          if (!pure(m)) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<PortKey> single(Protocol p, @Nullable Negatable<PortRange> ports) {
    return ports != null && !ports.inverted() && ports.value().isSingle()
        ? Optional.of(new PortKey(p, ports.value().low()))
        : Optional.empty();
  }

  /**
   * Whether trying the match changes nothing but the answer. Listed one by one, so that a match
   * type added later counts as having a side effect until it is known not to.
   */
  private static boolean pure(Match m) {
    return switch (m) {
      case Match.Source x -> true;
      case Match.Destination x -> true;
      case Match.Proto x -> true;
      case Match.InInterface x -> true;
      case Match.OutInterface x -> true;
      case Match.Icmp x -> true;
      case Match.Icmp6 x -> true;
      case Match.Multiport x -> true;
      case Match.Comment x -> true;
      case Match.Mark x -> true;
      case Match.ConnMark x -> true;
      case Match.Conntrack x -> true;
      case Match.State x -> true;
      case Match.AddrType x -> true;
      case Match.Physdev x -> true;
      default -> false;
    };
  }

  private static int[] ints(List<Integer> l) {
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }

  private static <K> Map<K, int[]> arrays(Map<K, List<Integer>> m) {
    Map<K, int[]> out = HashMap.newHashMap(m.size());
    m.forEach((k, v) -> out.put(k, ints(v)));
    return out;
  }

  /** A rule's matches in the order the kernel tries them: own fields, then extensions. */
  static List<Match> evaluationOrder(Rule r) {
    var out = new ArrayList<Match>(r.matches().size());
    for (Match m : r.matches()) {
      if (m.module().isEmpty()) {
        out.add(m);
      }
    }
    for (Match m : r.matches()) {
      if (!m.module().isEmpty()) {
        out.add(m);
      }
    }
    return out;
  }
}
