package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.TrackedConnection;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.trace.Step;
import java.util.ArrayDeque;

/**
 * Runs one table's built-in chain for a packet ({@code ipt_do_table}): rules in order, the first
 * whose matches all hold fires its target; {@code -j} into a user chain and back, {@code -g}
 * without coming back, RETURN, the built-in chain's policy at the end. Every fired rule counts the
 * packet and records a {@link Step.Rule}; a policy records one with number 0.
 */
final class TableRunner {

  private final NatEngine nat;

  TableRunner(NatEngine nat) {
    this.nat = nat;
  }

  Verdict run(CompiledTable table, Hook hook, PacketContext ctx) {
    String tableName = table.name.iptablesName();
    var stack = new ArrayDeque<int[]>(); // {chain, next rule}
    int builtin = table.chainIndex(hook.name());
    int chain = builtin;
    int i = 0;
    long length = ctx.packet().length();
    while (true) {
      CompiledTable.CChain c = table.chains[chain];
      i = c.next(i, ctx.packet());
      if (i >= c.rules.length) {
        if (stack.isEmpty()) {
          return policy(table.chains[builtin], tableName, ctx, length);
        }
        int[] back = stack.pop();
        chain = back[0];
        i = back[1];
        continue;
      }
      CompiledTable.CRule r = c.rules[i];
      if (!Matcher.matchesAll(r, ctx)) {
        i++;
        continue;
      }
      r.packets++;
      r.bytes += length;
      Target t = r.rule.target();
      String verdict = describe(t);
      ctx.addStep(new Step.Rule(tableName, c.name, i + 1, r.rule.text(), verdict));
      switch (t) {
        case Target.Accept a -> {
          return Verdict.ACCEPT;
        }
        case Target.Drop d -> {
          return new Verdict.Drop(tableName + "/" + c.name + " rule " + (i + 1) + ": DROP");
        }
        case Target.Reject rj -> {
          return new Verdict.Reject(rj.with().iptablesName());
        }
        case Target.Return ret -> {
          if (stack.isEmpty()) {
            return policy(table.chains[builtin], tableName, ctx, length);
          }
          int[] back = stack.pop();
          chain = back[0];
          i = back[1];
        }
        case Target.Jump j -> {
          stack.push(new int[] {chain, i + 1});
          chain = r.jump;
          i = 0;
        }
        case Target.Goto g -> {
          chain = r.jump;
          i = 0;
        }
        case Target.Dnat x -> {
          return nat.target(t, ctx, hook);
        }
        case Target.Snat x -> {
          return nat.target(t, ctx, hook);
        }
        case Target.Masquerade x -> {
          return nat.target(t, ctx, hook);
        }
        case Target.Redirect x -> {
          return nat.target(t, ctx, hook);
        }
        default -> {
          sideEffect(t, ctx);
          i++;
        }
      }
    }
  }

  private static Verdict policy(
      CompiledTable.CChain c, String table, PacketContext ctx, long length) {
    c.packets++;
    c.bytes += length;
    Policy p = c.policy.orElseThrow();
    if (p == Policy.DROP || c.rules.length > 0) {
      ctx.addStep(new Step.Rule(table, c.name, 0, "-P " + c.name + " " + p, p.name()));
    }
    return p == Policy.ACCEPT
        ? Verdict.ACCEPT
        : new Verdict.Drop(table + "/" + c.name + ": policy DROP");
  }

  /** The targets that change something and let the packet go on. */
  private static void sideEffect(Target t, PacketContext ctx) {
    switch (t) {
      case Target.Log log -> ctx.addStep(new Step.Log(log.prefix(), LogLine.format(log, ctx)));
      case Target.Mark m -> ctx.setMark(m.apply(ctx.mark()));
      case Target.ConnMark cm -> {
        if (ctx.connection().isPresent()) {
          TrackedConnection conn = ctx.connection().get();
          switch (cm.mode()) {
            case SET -> conn.setMark((conn.mark() & ~cm.ctMask()) ^ cm.ctMark());
            case SAVE -> conn.setMark((conn.mark() & ~cm.ctMask()) ^ (ctx.mark() & cm.nfMask()));
            case RESTORE -> ctx.setMark((ctx.mark() & ~cm.nfMask()) ^ (conn.mark() & cm.ctMask()));
          }
        }
      }
      case Target.NoTrack n -> ctx.setUntracked(true);
      case Target.Ct ct -> {
        if (ct.notrack()) {
          ctx.setUntracked(true);
        }
      }
      case Target.Trace tr -> ctx.addStep(new Step.Note("TRACE: the packet is traced from here"));
      default -> {}
    }
  }

  /** The verdict word of a trace step. */
  static String describe(Target t) {
    return switch (t) {
      case Target.Jump j -> "jump " + j.chain();
      case Target.Goto g -> "goto " + g.chain();
      case Target.Accept a -> "ACCEPT";
      case Target.Drop d -> "DROP";
      case Target.Return r -> "RETURN";
      case Target.Reject r -> "REJECT";
      case Target.Dnat d -> "DNAT";
      case Target.Snat s -> "SNAT";
      case Target.Masquerade m -> "MASQUERADE";
      case Target.Redirect r -> "REDIRECT";
      default -> "continue";
    };
  }
}
