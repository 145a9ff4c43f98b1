package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@code iptables -C} reads only the chain it names: for any {@code -C} command line (existing
 * rules, missing ones, missing chains and tables, bad options) it answers exactly what the full
 * path (a draft of the whole table, as every other command uses) answers, and changes nothing.
 */
class CheckFastPathProperties {

  private static final List<List<String>> SETUP =
      List.of(
          List.of("-N", "sub"),
          List.of("-A", "sub", "-j", "RETURN"),
          List.of("-A", "INPUT", "-p", "tcp", "--dport", "80", "-j", "ACCEPT"),
          List.of("-A", "INPUT", "-j", "sub"),
          List.of("-A", "INPUT", "-s", "10.0.0.1", "-j", "DROP"),
          List.of("-t", "nat", "-N", "KUBE-SERVICES"),
          List.of("-t", "nat", "-A", "PREROUTING", "-j", "KUBE-SERVICES"),
          List.of("-t", "nat", "-A", "KUBE-SERVICES", "-p", "tcp", "-j", "ACCEPT"));

  private static final List<List<String>> CHECKS =
      List.of(
          List.of("-C", "INPUT", "-p", "tcp", "--dport", "80", "-j", "ACCEPT"),
          List.of("-C", "INPUT", "-j", "sub"),
          List.of("-C", "INPUT", "-s", "10.0.0.1", "-j", "DROP"),
          List.of("-C", "sub", "-j", "RETURN"),
          List.of("-t", "nat", "-C", "PREROUTING", "-j", "KUBE-SERVICES"),
          List.of("-t", "nat", "-C", "KUBE-SERVICES", "-p", "tcp", "-j", "ACCEPT"),
          List.of("-t", "mangle", "-C", "PREROUTING", "-j", "ACCEPT"),
          List.of("-C", "nosuch", "-j", "ACCEPT"));

  @Provide
  Arbitrary<List<String>> checkLines() {
    Arbitrary<List<String>> known = Arbitraries.of(CHECKS);
    Arbitrary<List<String>> mutated =
        Combinators.combine(
                Arbitraries.of(CHECKS),
                Arbitraries.of(RobustnessProperties.WORDS).list().ofMaxSize(4))
            .as(
                (c, extra) -> {
                  List<String> out = new ArrayList<>(c);
                  out.addAll(extra);
                  return out;
                });
    Arbitrary<List<String>> random =
        Combinators.combine(
                Arbitraries.of("INPUT", "sub", "PREROUTING", "nosuch", "KUBE-SERVICES"),
                Arbitraries.of(RobustnessProperties.WORDS).list().ofMaxSize(8))
            .as(
                (chain, words) -> {
                  List<String> out = new ArrayList<>(List.of("-C", chain));
                  out.addAll(words);
                  return out;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, known), Tuple.of(3, mutated), Tuple.of(4, random));
  }

  @Property(tries = 500)
  void checkAnswersWhatTheFullPathAnswers(@ForAll("checkLines") List<String> args) {
    Netfilter nf = TestNamespace.netfilter();
    for (List<String> s : SETUP) {
      assertThat(Iptables.iptables(nf, IpFamily.IPV4, s).exitCode()).isZero();
    }
    String before = IptablesGoldenTest.state(nf);
    ToolResult expected = fullPath(nf, args);
    ToolResult actual = Iptables.iptables(nf, IpFamily.IPV4, args);
    assertThat(actual).isEqualTo(expected);
    assertThat(IptablesGoldenTest.state(nf)).isEqualTo(before);
  }

  /** What {@code iptables -C} answered before it read only its chain: a draft of every chain. */
  private static ToolResult fullPath(Netfilter nf, List<String> args) {
    try {
      Command cmd = CommandLine.parse(IpFamily.IPV4, "filter", args, nf.ipSets()::exists);
      TableName t = Iptables.table(cmd.table());
      boolean exists = nf.exists(IpFamily.IPV4, t);
      TableDraft draft = TableDraft.of(nf.table(IpFamily.IPV4, t));
      Executor.Outcome out =
          Executor.apply(cmd, draft, exists, 0, nf.nfacct().list().keySet()::contains);
      return ToolResult.ok(out.stdout());
    } catch (IptablesError e) {
      return ToolResult.fail(e.exitCode(), e.forCommand("iptables"));
    } catch (IllegalArgumentException e) {
      return ToolResult.fail(2, IptablesError.parameter(e.getMessage()).forCommand("iptables"));
    }
  }
}
