package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.RejectWith;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Hook;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The checks the kernel (and its {@code checkentry} functions) make when a table is replaced: jumps
 * to existing user chains, no loops, targets only in the tables and hooks that allow them,
 * protocol-specific matches only with their protocol, ip sets that exist. What is checked is what
 * iptables-nft 1.8.9 gets refused: tcp and udp become native nf_tables expressions (so {@code ! -p
 * tcp -m tcp} passes), the other matches go through the xt compatibility layer and its protocol
 * check; TRACE is allowed in every table (nf_tables traces from any chain). The first problem
 * throws a {@link RulesetException}.
 */
final class RulesetValidator {

  private final CompiledTable compiled;
  private final TableName tableName;
  private final IpFamily family;
  private final Predicate<String> setExists;

  /**
   * The hooks each chain (by index) is reachable from, as the kernel's mark_source_chains computes.
   */
  private final EnumSet<Hook>[] reachable;

  @SuppressWarnings("unchecked")
  private RulesetValidator(CompiledTable compiled, Predicate<String> setExists) {
    this.compiled = compiled;
    this.tableName = compiled.name;
    this.family = compiled.family;
    this.setExists = setExists;
    this.reachable = new EnumSet[compiled.chains.length];
  }

  /**
   * Checks a compiled table before it is installed; its jumps were resolved by name. On success the
   * table keeps the hooks each chain is reachable from, for {@link #validateChange}.
   */
  static void validate(CompiledTable compiled, Predicate<String> setExists) {
    new RulesetValidator(compiled, setExists).run();
  }

  /**
   * Checks {@code next}, which is the validated table {@code base} with only chain {@code changed}
   * replaced (the same chains, in the same order), and refuses exactly what {@link #validate} would
   * refuse, with the same message: the other chains' rules passed their rule checks before and
   * those do not depend on other chains, so only the changed chain's rules are checked; the jumps
   * are walked again from every hook (loops, reachability); the hook checks run for the changed
   * chain and for every chain whose set of reaching hooks changed.
   */
  static void validateChange(
      CompiledTable base, CompiledTable next, int changed, Predicate<String> setExists) {
    var before = base.reachable;
    if (before == null) {
      validate(next, setExists);
      return;
    }
    var v = new RulesetValidator(next, setExists);
    CompiledTable.CChain c = next.chains[changed];
    for (int i = 0; i < c.rules.length; i++) {
      v.checkRule(c.name, i + 1, c.rules[i].rule, c.rules[i].jump);
    }
    if (Arrays.equals(jumps(base.chains[changed]), jumps(c))) {
      // the same jumps between the same chains: the same reachability, no new loop
      System.arraycopy(before, 0, v.reachable, 0, before.length);
      v.checkChainHooks(changed);
      next.reachable = before;
      return;
    }
    v.walkAll();
    for (int ci = 0; ci < next.chains.length; ci++) {
      if (ci == changed || !v.reachable[ci].equals(before[ci])) {
        v.checkChainHooks(ci);
      }
    }
    next.reachable = v.reachable;
  }

  /** The chains (by index) a chain's rules jump or go to, each once, in order. */
  private static int[] jumps(CompiledTable.CChain c) {
    return Arrays.stream(c.rules)
        .mapToInt(r -> r.jump)
        .filter(j -> j >= 0)
        .sorted()
        .distinct()
        .toArray();
  }

  private void run() {
    var chains = compiled.chains;
    for (CompiledTable.CChain c : chains) {
      for (int i = 0; i < c.rules.length; i++) {
        checkRule(c.name, i + 1, c.rules[i].rule, c.rules[i].jump);
      }
    }
    walkAll();
    for (int ci = 0; ci < chains.length; ci++) {
      checkChainHooks(ci);
    }
    compiled.reachable = reachable;
  }

  private void walkAll() {
    for (int ci = 0; ci < reachable.length; ci++) {
      reachable[ci] = EnumSet.noneOf(Hook.class);
    }
    for (Hook h : tableName.builtinHooks()) {
      walk(h);
    }
  }

  private void checkChainHooks(int ci) {
    CompiledTable.CChain c = compiled.chains[ci];
    for (int i = 0; i < c.rules.length; i++) {
      checkHooks(c.name, i + 1, c.rules[i].rule, reachable[ci]);
    }
  }

  /** Marks the chains reachable from hook {@code h}'s chain, failing on a loop. */
  private void walk(Hook h) {
    visit(h, compiled.chainIndex(h.name()), new boolean[reachable.length]);
  }

  private void visit(Hook h, int chain, boolean[] onPath) {
    if (onPath[chain]) {
      String name = compiled.chains[chain].name;
      throw fail(
          name, 0, "Too many levels of symbolic links (a loop of jumps through " + name + ")");
    }
    onPath[chain] = true;
    if (reachable[chain].add(h)) {
      for (CompiledTable.CRule r : compiled.chains[chain].rules) {
        if (r.jump >= 0) {
          visit(h, r.jump, onPath);
        }
      }
    } // else: already explored from this hook, so a loop through it would have been found then
    onPath[chain] = false;
  }

  /** The rule's {@code -p}: its number (0 for none) and whether it is inverted. */
  private record Proto(int number, boolean inverted) {
    /** Exactly this protocol, not inverted: what {@code xt_check_match} asks of a match. */
    boolean is(Protocol p) {
      return number == p.number() && !inverted;
    }
  }

  /** Protocols with ports ({@code multiport}'s list: tcp, udp, udplite, sctp, dccp). */
  private static final Set<Integer> PORT_PROTOCOLS = Set.of(6, 17, 136, 132, 33);

  /** Protocols libxt_NAT lets a NAT range have ports with (tcp, udp, sctp, dccp, icmp). */
  private static final Set<Integer> NAT_PORT_PROTOCOLS = Set.of(6, 17, 132, 33, 1);

  private void checkRule(String c, int n, Rule r, int jump) {
    Proto proto = new Proto(0, false);
    for (Match m : r.matches()) {
      if (m instanceof Match.Proto p) {
        proto = new Proto(p.number(), p.inverted());
      }
    }
    for (Match m : r.matches()) {
      switch (m) {
        case Match.Source s -> checkFamily(c, n, s.prefix().address(), "-s");
        case Match.Destination d -> checkFamily(c, n, d.prefix().address(), "-d");
        case Match.Fragment f -> {
          if (family != IpFamily.IPV4) {
            throw fail(c, n, "-f is IPv4 only (use -m frag)");
          }
        }
        // iptables-nft turns tcp and udp into native payload expressions: the protocol must be
        // named, but may be inverted (the kernel's xt protocol check does not run).
        case Match.Tcp t -> needNamed(c, n, proto, Protocol.TCP, "tcp match");
        case Match.Udp u -> needNamed(c, n, proto, Protocol.UDP, "udp match");
        case Match.Sctp sc -> need(c, n, proto, Protocol.SCTP, "sctp match");
        case Match.Icmp i -> {
          if (family != IpFamily.IPV4) {
            throw fail(c, n, "the icmp match is IPv4 only (use icmp6)");
          }
          need(c, n, proto, Protocol.ICMP, "icmp match");
        }
        case Match.Icmp6 i -> {
          if (family != IpFamily.IPV6) {
            throw fail(c, n, "the icmp6 match is IPv6 only (use icmp)");
          }
          need(c, n, proto, Protocol.ICMPV6, "icmp6 match");
        }
        case Match.Multiport mp -> {
          if (proto.inverted() || !PORT_PROTOCOLS.contains(proto.number())) {
            throw fail(
                c, n, "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
          }
        }
        case Match.Recent rc -> {
          if (rc.hitCount().orElse(0) > RecentLists.STAMPS_MAX) {
            throw fail(
                c,
                n,
                "recent: hitcount ("
                    + rc.hitCount().get()
                    + ") is larger than allowed maximum ("
                    + RecentLists.STAMPS_MAX
                    + ")");
          }
        }
        case Match.IpSet s -> {
          if (!setExists.test(s.setName())) {
            throw fail(c, n, "Set " + s.setName() + " doesn't exist.");
          }
        }
        default -> {}
      }
    }
    switch (r.target()) {
      case Target.Jump j -> checkJump(c, n, j.chain(), jump);
      case Target.Goto g -> checkJump(c, n, g.chain(), jump);
      case Target.Reject rj -> {
        if (!rj.with().appliesTo(family)) {
          throw fail(c, n, "REJECT --reject-with " + rj.with() + " is not for " + family);
        }
        if (rj.with() == RejectWith.TCP_RESET && !proto.is(Protocol.TCP)) {
          throw fail(c, n, "REJECT --reject-with tcp-reset needs -p tcp");
        }
      }
      case Target.Dnat d -> checkNat(c, n, d.range(), proto);
      case Target.Snat s -> checkNat(c, n, s.range(), proto);
      case Target.Masquerade m -> checkPorts(c, n, m.ports().isPresent(), proto);
      case Target.Redirect rd -> checkPorts(c, n, rd.ports().isPresent(), proto);
      default -> {}
    }
  }

  private void checkNat(String c, int n, Target.NatRange range, Proto proto) {
    range.first().ifPresent(a -> checkFamily(c, n, a, "NAT address"));
    checkPorts(c, n, range.ports().isPresent(), proto);
  }

  private void checkPorts(String c, int n, boolean hasPorts, Proto proto) {
    if (hasPorts && !NAT_PORT_PROTOCOLS.contains(proto.number())) {
      throw fail(c, n, "Need TCP, UDP, SCTP or DCCP with port specification");
    }
  }

  private void checkJump(String c, int n, String target, int resolved) {
    if (tableName.hasBuiltin(target)) {
      throw fail(c, n, "cannot jump to built-in chain " + target);
    }
    if (resolved == CompiledTable.UNRESOLVED) {
      throw fail(c, n, "Couldn't load target `" + target + "':No such file or directory");
    }
  }

  /** {@code xt_check_match}: the match's protocol, not inverted. */
  private void need(String c, int n, Proto proto, Protocol p, String what) {
    if (!proto.is(p)) {
      throw fail(c, n, what + " is only valid for -p " + p.iptablesName());
    }
  }

  /** The protocol named, inverted or not. */
  private void needNamed(String c, int n, Proto proto, Protocol p, String what) {
    if (proto.number() != p.number()) {
      throw fail(c, n, what + " needs -p " + p.iptablesName());
    }
  }

  private void checkFamily(String c, int n, IpAddress a, String what) {
    if (a.family() != family) {
      throw fail(c, n, what + " " + a + " is not an " + family + " address");
    }
  }

  private void checkHooks(String c, int n, Rule r, Set<Hook> hooks) {
    TableName t = tableName;
    switch (r.target()) {
      case Target.Dnat d ->
          allow(c, n, "DNAT", hooks, t == TableName.NAT, Hook.PREROUTING, Hook.OUTPUT);
      case Target.Redirect d ->
          allow(c, n, "REDIRECT", hooks, t == TableName.NAT, Hook.PREROUTING, Hook.OUTPUT);
      case Target.Snat s ->
          allow(c, n, "SNAT", hooks, t == TableName.NAT, Hook.POSTROUTING, Hook.INPUT);
      case Target.Masquerade m ->
          allow(c, n, "MASQUERADE", hooks, t == TableName.NAT, Hook.POSTROUTING);
      case Target.NoTrack x -> allow(c, n, "NOTRACK", hooks, t == TableName.RAW, Hook.values());
      case Target.Ct x -> allow(c, n, "CT", hooks, t == TableName.RAW, Hook.values());
      case Target.Reject x ->
          allow(c, n, "REJECT", hooks, true, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);
      default -> {}
    }
    for (Match m : r.matches()) {
      if (m instanceof Match.AddrType a) {
        if (a.limitIfaceIn()) {
          allow(
              c,
              n,
              "addrtype --limit-iface-in",
              hooks,
              true,
              Hook.PREROUTING,
              Hook.INPUT,
              Hook.FORWARD);
        }
        if (a.limitIfaceOut()) {
          allow(
              c,
              n,
              "addrtype --limit-iface-out",
              hooks,
              true,
              Hook.OUTPUT,
              Hook.FORWARD,
              Hook.POSTROUTING);
        }
      }
    }
  }

  private void allow(
      String c, int n, String what, Set<Hook> hooks, boolean tableOk, Hook... allowed) {
    if (!tableOk) {
      throw fail(c, n, what + " is not valid in the " + tableName + " table");
    }
    Set<Hook> ok = EnumSet.of(allowed[0], allowed);
    for (Hook h : hooks) {
      if (!ok.contains(h)) {
        throw fail(c, n, what + " is not valid from " + h + " (allowed: " + ok + ")");
      }
    }
  }

  private RulesetException fail(String chain, int n, String message) {
    return new RulesetException(tableName.iptablesName(), chain, n, message);
  }
}
