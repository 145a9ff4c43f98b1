package dev.podpath.kube.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeIpamTest {

  @Test
  void handsOutFreeSubnetsOfTheMaskSize() {
    List<IpPrefix> cluster = List.of(IpPrefix.parse("10.244.0.0/16"));
    assertThat(NodeIpam.allocate(cluster, 24, Set.of()).orElseThrow())
        .containsExactly(IpPrefix.parse("10.244.0.0/24"));
    assertThat(
            NodeIpam.allocate(cluster, 24, Set.of(IpPrefix.parse("10.244.0.0/24"))).orElseThrow())
        .containsExactly(IpPrefix.parse("10.244.1.0/24"));
  }

  @Test
  void dualStackGetsOneOfEachAndAFullRangeGivesNothing() {
    List<IpPrefix> dual = List.of(IpPrefix.parse("10.244.0.0/16"), IpPrefix.parse("fd00::/48"));
    assertThat(NodeIpam.allocate(dual, 24, Set.of()).orElseThrow())
        .extracting(Object::toString)
        .containsExactly("10.244.0.0/24", "fd00::/64");
    List<IpPrefix> tiny = List.of(IpPrefix.parse("10.0.0.0/24"));
    assertThat(NodeIpam.allocate(tiny, 24, Set.of(IpPrefix.parse("10.0.0.0/24")))).isEmpty();
  }
}
