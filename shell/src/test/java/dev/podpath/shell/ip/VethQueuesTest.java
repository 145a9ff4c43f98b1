package dev.podpath.shell.ip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.World;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A veth gets one transmit and one receive queue per CPU of its host ({@code ip -d link} on a 2-CPU
 * Linux 6.18 machine printed {@code numtxqueues 2 numrxqueues 2}, recorded in {@code ip.golden}); a
 * bridge keeps one of each whatever the CPU count.
 */
class VethQueuesTest {

  @ParameterizedTest(name = "{0} CPUs")
  @ValueSource(ints = {1, 2, 8})
  void aVethHasAQueuePairPerCpuOfItsHost(int cpus) {
    Host host = new World().addHost("host");
    host.setCpus(cpus);
    var root = host.root();
    IpTool.run(root, List.of("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"));
    IpTool.run(root, List.of("ip", "link", "add", "br0", "type", "bridge"));
    assertThat(IpTool.run(root, List.of("ip", "-d", "link", "show", "v0")).stdout())
        .contains(" numtxqueues " + cpus + " numrxqueues " + cpus + " ");
    assertThat(IpTool.run(root, List.of("ip", "-d", "link", "show", "br0")).stdout())
        .contains(" numtxqueues 1 numrxqueues 1 ");
  }
}
