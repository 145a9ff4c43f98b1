package dev.podpath.shell.ipvsadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kernel.ipvs.Ipvs;
import dev.podpath.shell.ToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ipvsadm's listing, save and error formats, as ipvsadm 1.31's source prints them. */
class IpvsadmToolTest {

  NetNamespace ns;

  @BeforeEach
  void setUp() {
    ns = new World().addHost("lb").root();
  }

  ToolResult ipvsadm(String line) {
    return IpvsadmTool.run(ns, List.of(("ipvsadm " + line).split(" ")), Optional.empty());
  }

  @Test
  void listsServicesAndRealServersInIpvsadmsColumns() {
    assertThat(ipvsadm("-A -t 10.1.0.1:80 -s rr").exitCode()).isZero();
    ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 1");
    ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.12 -m -w 2");
    ipvsadm("-A -u 10.1.0.1:53 -s wlc -p 600");
    ipvsadm("-a -u 10.1.0.1:53 -r 10.0.0.11:53");
    String listed = ipvsadm("-Ln").stdout();
    // "  -> %-28s %-7s %-6d %-10u %-10u\n": the last column is padded too
    assertThat(listed)
        .contains("  -> 10.0.0.11:80                 Masq    1      0          0         \n");
    assertThat(listed.replaceAll(" +\n", "\n"))
        .isEqualTo(
            """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.1.0.1:80 rr
          -> 10.0.0.11:80                 Masq    1      0          0
          -> 10.0.0.12:80                 Masq    2      0          0
        UDP  10.1.0.1:53 wlc persistent 600
          -> 10.0.0.11:53                 Route   1      0          0
        """);
    assertThat(ipvsadm("-S -n").stdout())
        .isEqualTo(
            """
        -A -t 10.1.0.1:80 -s rr
        -a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 1
        -a -t 10.1.0.1:80 -r 10.0.0.12:80 -m -w 2
        -A -u 10.1.0.1:53 -s wlc -p 600
        -a -u 10.1.0.1:53 -r 10.0.0.11:53 -g -w 1
        """);
  }

  @Test
  void refusalsUseLibipvsWordsAndChangeNothing() {
    ipvsadm("-A -t 10.1.0.1:80 -s rr");
    assertThat(ipvsadm("-A -t 10.1.0.1:80 -s rr"))
        .isEqualTo(new ToolResult(255, "", "Service already exists\n"));
    assertThat(ipvsadm("-a -t 10.9.9.9:80 -r 10.0.0.11:80").stderr())
        .isEqualTo("Service not defined\n");
    ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m");
    assertThat(ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m").stderr())
        .isEqualTo("Destination already exists\n");
    assertThat(ipvsadm("-d -t 10.1.0.1:80 -r 10.0.0.99:80").stderr())
        .isEqualTo("No such destination\n");
    assertThat(ipvsadm("-A -t 10.1.0.2:80 -s nope").stderr()).isEqualTo("Scheduler not found\n");
    assertThat(ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.12:80 -w x").exitCode()).isEqualTo(2);
    assertThat(ipvsadm("-S -n").stdout())
        .isEqualTo("-A -t 10.1.0.1:80 -s rr\n-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 1\n");
  }

  @Test
  void editDeleteClearAndRestore() {
    ipvsadm("-A -t 10.1.0.1:80 -s rr");
    ipvsadm("-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m");
    ipvsadm("-E -t 10.1.0.1:80 -s lc");
    ipvsadm("-e -t 10.1.0.1:80 -r 10.0.0.11:80 -w 5");
    assertThat(ipvsadm("-Sn").stdout())
        .isEqualTo("-A -t 10.1.0.1:80 -s lc\n-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 5\n");
    ipvsadm("-D -t 10.1.0.1:80");
    assertThat(ipvsadm("-Sn").stdout()).isEmpty();
    ToolResult r =
        IpvsadmTool.run(
            ns,
            List.of("ipvsadm", "-R"),
            Optional.of("-A -t 10.1.0.1:80 -s rr\n-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 1\n"));
    assertThat(r.exitCode()).isZero();
    assertThat(ipvsadm("-Sn").stdout()).contains("-a -t 10.1.0.1:80 -r 10.0.0.11:80 -m -w 1");
    ipvsadm("-C");
    assertThat(ipvsadm("-Ln").stdout()).endsWith("InActConn\n");
  }

  @Test
  void setChangesTimeoutsAndZeroKeepsTheCurrentValue() {
    assertThat(ipvsadm("-L --timeout"))
        .isEqualTo(new ToolResult(0, "Timeout (tcp tcpfin udp): 900 120 300\n", ""));
    assertThat(ipvsadm("--set 3600 0 60")).isEqualTo(new ToolResult(0, "", ""));
    assertThat(ipvsadm("-L --timeout").stdout())
        .isEqualTo("Timeout (tcp tcpfin udp): 3600 120 60\n");
    assertThat(ns.ipvs().timeouts())
        .isEqualTo(
            new Ipvs.Timeouts(
                Duration.ofSeconds(3600), Duration.ofSeconds(120), Duration.ofSeconds(60)));
    ipvsadm("--set 0 30 0");
    assertThat(ipvsadm("-l --timeout").stdout())
        .isEqualTo("Timeout (tcp tcpfin udp): 3600 30 60\n");
    assertThat(ipvsadm("--set 2678400 1 1").exitCode()).isZero();
    assertThat(ipvsadm("-L --daemon")).isEqualTo(new ToolResult(0, "", ""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--set 10 20|--set option requires 3 timeout values",
        "--set|--set option requires 3 timeout values",
        "--set 10 x 30|invalid timeout value `x' specified",
        "--set 2678401 1 1|invalid timeout value `2678401' specified",
        "--set 1.5 1 1|invalid timeout value `1.5' specified",
        "--set 1 2 3 4|unexpected argument 4",
        "-L --timeout --stats|options conflicts in the list command",
        "-L --daemon --rate|options conflicts in the list command",
      })
  void badTimeoutCommandsExit2AndChangeNothing(String line, String message) {
    assertThat(ipvsadm(line)).isEqualTo(new ToolResult(2, "", message + "\n"));
    assertThat(ns.ipvs().timeouts()).isEqualTo(Ipvs.DEFAULT_TIMEOUTS);
  }

  /** ipvsadm's own refusals ({@code fail()} and {@code generic_opt_check}): bare text, exit 2. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-A -t 10.0.0.1:80 -D|multiple commands specified",
        "-A -s rr|You need to supply the 'service-address' option for the 'add-service' command",
        "-D|You need to supply the 'service-address' option for the 'delete-service' command",
        "-a -t 10.0.0.1:80|You need to supply the 'real-server' option for the 'add-server' command",
        "-d -r 10.1.0.1|You need to supply the 'service-address' option for the 'delete-server' command",
        "-A -t 10.0.0.300:80|illegal virtual server address[:port] specified",
        "-A -t 10.0.0.1:70000|illegal virtual server address[:port] specified",
        "-a -t 10.0.0.1:80 -r nope|illegal real server address[:port] specified",
        "-a -t 10.0.0.1:80 -r 10.1.0.1:x|illegal real server address[:port] specified",
        "-a -t 10.0.0.1:80 -r 10.1.0.1 -w 70000|illegal weight specified",
        "-a -t 10.0.0.1:80 -r 10.1.0.1 -w x|illegal weight specified",
        "-A -f 0|invalid fwmark value `0' specified",
        "-A -f x|invalid fwmark value `x' specified",
        "-A -t 10.0.0.1:80 -p 60 -M 255.0.0.x|illegal virtual server persistent mask specified",
      })
  void refusalsReadAsIpvsadmWritesThem(String line, String message) {
    assertThat(ipvsadm(line)).isEqualTo(new ToolResult(2, "", message + "\n"));
    assertThat(ipvsadm("-Sn").stdout()).isEmpty();
  }
}
