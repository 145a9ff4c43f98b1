package dev.podpath.shell.ipvsadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.ToolResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without {@code -n}, ipvsadm 1.31 writes ports by their {@code /etc/services} name ({@code
 * addrport_to_anyname} → {@code getservbyport(port, tcp ? "tcp" : "udp")}), in listings and in
 * {@code -S}; a port without a name, and every port under {@code -n}, stays a number. Also the
 * options no other test covers: {@code -f}, {@code -i}, {@code -l}, {@code --stats}, {@code
 * --rate}.
 */
class IpvsadmNamesTest {

  NetNamespace ns;

  @BeforeEach
  void setUp() {
    ns = new World().addHost("lb").root();
    ipvsadm("-A -t 10.1.0.1:80 -s rr");
    ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.11:8080 -m");
    ipvsadm("-A -u 10.1.0.1:53 -s rr");
    ipvsadm("-a -u 10.1.0.1:53 -r 10.0.0.11 -m");
    ipvsadm("-A -f 7 -s wlc");
    ipvsadm("-a -f 7 -r 10.0.0.12 -i -w 3");
  }

  ToolResult ipvsadm(String line) {
    return IpvsadmTool.run(ns, List.of(("ipvsadm " + line).split(" ")), Optional.empty());
  }

  @Test
  void withoutNumericPortsAreNamedFromEtcServices() {
    assertThat(ipvsadm("-L").stdout().replaceAll(" +\n", "\n"))
        .isEqualTo(
            """
            IP Virtual Server version 1.2.1 (size=4096)
            Prot LocalAddress:Port Scheduler Flags
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
            TCP  10.1.0.1:http rr
              -> 10.0.0.11:http-alt           Masq    1      0          0
            UDP  10.1.0.1:domain rr
              -> 10.0.0.11:domain             Masq    1      0          0
            FWM  7 wlc
              -> 10.0.0.12:0                  Tunnel  3      0          0
            """);
    assertThat(ipvsadm("-L --nosort").stdout())
        .as("--nosort: the kernel's order")
        .contains("FWM  7 wlc\n  -> 10.0.0.12:0");
    assertThat(ipvsadm("-l").stdout()).isEqualTo(ipvsadm("-L").stdout());
    assertThat(ipvsadm("-S").stdout())
        .isEqualTo(
            """
            -A -t 10.1.0.1:http -s rr
            -a -t 10.1.0.1:http -r 10.0.0.11:http-alt -m -w 1
            -A -u 10.1.0.1:domain -s rr
            -a -u 10.1.0.1:domain -r 10.0.0.11:domain -m -w 1
            -A -f 7 -s wlc
            -a -f 7 -r 10.0.0.12:0 -i -w 3
            """);
  }

  @Test
  void numericKeepsNumbersAndStatsAndRateHaveTheirColumns() {
    assertThat(ipvsadm("-S -n").stdout())
        .contains("-A -t 10.1.0.1:80 -s rr\n", "-a -t 10.1.0.1:80 -r 10.0.0.11:8080 -m -w 1\n");
    assertThat(ipvsadm("-L -n --stats").stdout())
        .contains(
            "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.1.0.1:80                         0        0        0        0        0\n"
                + "  -> 10.0.0.11:8080                      0        0        0        0        0\n");
    assertThat(ipvsadm("-L -n --rate").stdout())
        .contains(
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n");
  }
}
