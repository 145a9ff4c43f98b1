package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kube-proxy-sized nat table (1,000 services, 2,000 endpoints) restores and saves whole (its
 * speed is measured by the benchmarks in bench/, not here).
 */
class LargeRestoreTest {

  static String kubeProxyNat(int services) {
    StringBuilder chains =
        new StringBuilder("*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n");
    StringBuilder rules = new StringBuilder("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n");
    for (int i = 0; i < services; i++) {
      String svc = String.format("KUBE-SVC-%016X", i);
      String ip = "172.30." + (i / 250) + "." + (i % 250 + 1);
      chains.append(':').append(svc).append(" - [0:0]\n");
      rules
          .append("-A KUBE-SERVICES -d ")
          .append(ip)
          .append("/32 -p tcp -m comment --comment \"ns/svc")
          .append(i)
          .append(":http cluster IP\" -m tcp --dport 80 -j ")
          .append(svc)
          .append('\n');
      for (int e = 0; e < 2; e++) {
        String sep = String.format("KUBE-SEP-%015X%d", i, e);
        String pod = "10." + (i / 250 % 250) + "." + (i % 250) + "." + (e + 1);
        chains.append(':').append(sep).append(" - [0:0]\n");
        rules
            .append("-A ")
            .append(svc)
            .append(e == 0 ? " -m statistic --mode random --probability 0.50000000000 -j " : " -j ")
            .append(sep)
            .append('\n');
        rules
            .append("-A ")
            .append(sep)
            .append(" -s ")
            .append(pod)
            .append("/32 -j KUBE-MARK-MASQ\n");
        rules
            .append("-A ")
            .append(sep)
            .append(" -p tcp -m tcp -j DNAT --to-destination ")
            .append(pod)
            .append(":8080\n");
      }
    }
    return chains.append(rules).append("COMMIT\n").toString();
  }

  @Test
  void aKubeProxySizedTableRestoresAndSavesWhole() {
    String text = kubeProxyNat(1_000);
    Netfilter nf = TestNamespace.netfilter();
    ToolResult r = Iptables.run(nf, List.of("iptables-restore", "--noflush"), text);
    String saved = Iptables.run(nf, List.of("iptables-save", "-t", "nat"), "").stdout();
    assertThat(r.stderr()).isEmpty();
    assertThat(nf.table(IpFamily.IPV4, TableName.NAT).chains()).hasSize(4 + 2 + 3_000);
    assertThat(saved.lines().filter(l -> l.startsWith("-A ")).count()).isEqualTo(1 + 1_000 * 7);
  }
}
