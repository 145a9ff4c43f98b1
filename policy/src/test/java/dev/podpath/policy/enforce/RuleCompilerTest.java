package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.ClusterState;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  static ClusterState shop() {
    return ClusterLoader.load(List.of(Path.of("src/test/resources/enforce/shop-cluster.yaml")));
  }

  @Test
  void node1RulesMatchTheGoldenRestoreText() throws Exception {
    var rs = RuleCompiler.compile(shop(), "node-1", Set.of());
    Golden.assertMatches("enforce/shop-node-1.rules", rs.restore());
  }

  @Test
  void node2RulesMatchTheGoldenRestoreText() throws Exception {
    var rs = RuleCompiler.compile(shop(), "node-2", Set.of());
    Golden.assertMatches("enforce/shop-node-2.rules", rs.restore());
  }

  @Test
  void jumpsStandFirstInForwardAndOutput() {
    var rs = RuleCompiler.compile(shop(), "node-1", Set.of());
    assertThat(rs.jumps())
        .extracting(NodeRuleset.JumpRule::saveText)
        .containsExactly(
            "-A FORWARD -m comment --comment \"podpath network policies\" -j PODPATH-FORWARD",
            "-A OUTPUT -m comment --comment \"podpath network policies\" -j PODPATH-OUTPUT");
  }

  @Test
  void chainsNoLongerWantedAreFlushedAndDeleted() {
    var rs = RuleCompiler.compile(shop(), "node-1", Set.of("PODPATH-POD-GONEGONEGONEGONE"));
    assertThat(rs.restore())
        .contains(":PODPATH-POD-GONEGONEGONEGONE - [0:0]\n")
        .contains("\n-X PODPATH-POD-GONEGONEGONEGONE\nCOMMIT\n");
    assertThat(rs.chains()).doesNotContain("PODPATH-POD-GONEGONEGONEGONE");
  }

  @Test
  void chainNamesFitIptablesLimit() {
    assertThat(ChainNames.pod("some-very-long-namespace-name", "a-pod-name-that-is-long"))
        .hasSize(28)
        .startsWith("PODPATH-POD-");
  }
}
