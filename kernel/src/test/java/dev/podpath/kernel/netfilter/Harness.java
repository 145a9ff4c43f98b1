package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.kernel.path.MacHeader;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.Chooser;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.SampledChooser;
import dev.podpath.net.trace.Step;
import java.util.List;
import java.util.Optional;

/**
 * One namespace's netfilter with a tiny walker: runs the hooks of a path (forwarded, local in,
 * local out) for a packet with given interfaces, as the real walker would between routing
 * decisions. Rules are added with {@link #append}.
 */
final class Harness {

  /** A path through the namespace. */
  enum Path {
    FORWARD(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING),
    LOCAL_IN(Hook.PREROUTING, Hook.INPUT),
    LOCAL_OUT(Hook.OUTPUT, Hook.POSTROUTING);

    final List<Hook> hooks;

    Path(Hook... hooks) {
      this.hooks = List.of(hooks);
    }
  }

  /** What happened to one packet. */
  record Result(Verdict verdict, Packet packet, List<Step> steps, PacketContext ctx) {
    boolean accepted() {
      return verdict instanceof Verdict.Accept;
    }

    List<Step.Rule> rules() {
      return steps.stream().filter(s -> s instanceof Step.Rule).map(s -> (Step.Rule) s).toList();
    }

    List<Step.Rule> rules(String table) {
      return rules().stream().filter(r -> r.table().equals(table)).toList();
    }

    List<String> logs() {
      return steps.stream()
          .filter(s -> s instanceof Step.Log)
          .map(s -> ((Step.Log) s).line())
          .toList();
    }
  }

  /** The Ethernet header of every received packet: to 02:00:00:00:00:01 from 02:…:02. */
  static final MacHeader FRAME = new MacHeader("02:00:00:00:00:01", "02:00:00:00:00:02");

  final FakeNamespace ns = new FakeNamespace();
  final HookTable hooks = new HookTable();
  final Netfilter nf = new Netfilter(ns, hooks);
  Chooser chooser = new SampledChooser(1);

  Harness address(String device, String prefix) {
    ns.address(device, prefix);
    return this;
  }

  /** Appends a rule to a chain (created as a user chain when missing) and commits the table. */
  Harness append(TableName table, String chain, String text, Target target, Match... matches) {
    return append(familyOf(matches), table, chain, text, target, matches);
  }

  /** {@link #append} to the table of the given family. */
  Harness append(
      IpFamily family,
      TableName table,
      String chain,
      String text,
      Target target,
      Match... matches) {
    Table t = nf.table(family, table);
    Chain c = t.chain(chain).orElse(Chain.user(chain));
    nf.commit(t.withChain(c.append(new Rule(List.of(matches), target, text, Counters.ZERO))));
    return this;
  }

  Harness chain(TableName table, IpFamily family, String chain) {
    Table t = nf.table(family, table);
    if (t.chain(chain).isEmpty()) {
      nf.commit(t.withChain(Chain.user(chain)));
    }
    return this;
  }

  Harness policy(TableName table, String chain, Policy p) {
    Table t = nf.table(IpFamily.IPV4, table);
    nf.commit(t.withChain(t.requireChain(chain).withPolicy(p)));
    return this;
  }

  private static IpFamily familyOf(Match... matches) {
    for (Match m : matches) {
      if (m instanceof Match.Source s) {
        return s.prefix().family();
      }
      if (m instanceof Match.Destination d) {
        return d.prefix().family();
      }
      if (m instanceof Match.Icmp6) {
        return IpFamily.IPV6;
      }
    }
    return IpFamily.IPV4;
  }

  Result send(Path path, Packet packet, Optional<String> in, Optional<String> out) {
    return send(path, packet, in, out, chooser);
  }

  Result send(Path path, Packet packet, Optional<String> in, Optional<String> out, Chooser ch) {
    var ctx = new PacketContext(ns, packet, ch);
    ctx.setInInterface(in.orElse(null));
    if (in.isPresent()) {
      ctx.setMacHeader(FRAME); // the frame's header, as LOG prints it
    }
    ctx.setLocallyGenerated(path == Path.LOCAL_OUT);
    for (Hook h : path.hooks) {
      ctx.setOutInterface(h == Hook.PREROUTING || h == Hook.INPUT ? null : out.orElse(null));
      Verdict v = hooks.run(h, ctx);
      if (!(v instanceof Verdict.Accept)) {
        return new Result(v, ctx.packet(), ctx.steps(), ctx);
      }
    }
    return new Result(Verdict.ACCEPT, ctx.packet(), ctx.steps(), ctx);
  }

  Result forward(Packet p, String in, String out) {
    return send(Path.FORWARD, p, Optional.of(in), Optional.of(out));
  }

  Result localIn(Packet p, String in) {
    return send(Path.LOCAL_IN, p, Optional.of(in), Optional.empty());
  }

  Result localOut(Packet p, String out) {
    return send(Path.LOCAL_OUT, p, Optional.empty(), Optional.of(out));
  }
}
