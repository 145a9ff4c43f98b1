package dev.podpath.kernel.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Policy;
import dev.podpath.kernel.netfilter.rule.Rule;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.net.IpFamily;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cheap reads a single {@code iptables -C} uses give what the whole-table snapshot gives:
 * {@link Netfilter#chain} is that chain of {@link Netfilter#table}, and {@link Netfilter#exists} of
 * a table never marked created says whether the table differs from an empty one.
 */
class NetfilterReadTest {

  static List<UnaryOperator<Table>> edits() {
    return List.of(
        t -> t,
        t -> t.withChain(t.requireChain("INPUT").withPolicy(Policy.DROP)),
        t -> t.withChain(t.requireChain("OUTPUT").withCounters(new Counters(3, 180))),
        t -> t.withChain(Chain.user("sub")),
        t ->
            t.withChain(
                t.requireChain("FORWARD")
                    .append(Rule.of("-A FORWARD -j ACCEPT", new Target.Accept()))));
  }

  @ParameterizedTest
  @MethodSource("edits")
  void chainAndExistsAgreeWithTheSnapshot(UnaryOperator<Table> edit) {
    Netfilter nf = new Netfilter(new FakeNamespace(), new HookTable());
    Table empty = Table.empty(IpFamily.IPV4, TableName.FILTER);
    nf.commit(edit.apply(empty));
    Table snapshot = nf.table(IpFamily.IPV4, TableName.FILTER);
    assertThat(nf.exists(IpFamily.IPV4, TableName.FILTER)).isEqualTo(!snapshot.equals(empty));
    for (Chain c : snapshot.chains()) {
      assertThat(nf.chain(IpFamily.IPV4, TableName.FILTER, c.name())).contains(c);
    }
    assertThat(nf.chain(IpFamily.IPV4, TableName.FILTER, "nosuch")).isEmpty();
  }
}
