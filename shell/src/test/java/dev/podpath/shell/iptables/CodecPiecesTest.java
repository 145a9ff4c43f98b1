package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.net.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small pieces of the codec, each as libxtables behaves. */
class CodecPiecesTest {

  @Test
  void restoreLinesSplitOnBlanksAndDoubleQuotesOnly() {
    assertThat(RestoreLine.words("-A INPUT -m comment --comment \"a \\\"b\\\" c\" -j ACCEPT\n"))
        .containsExactly("-A", "INPUT", "-m", "comment", "--comment", "a \"b\" c", "-j", "ACCEPT");
    assertThat(RestoreLine.words("--comment 'x y'\n")).containsExactly("--comment", "'x", "y'");
    assertThat(RestoreLine.words("--comment \"\" -j\n")).containsExactly("--comment", "", "-j");
    assertThat(RestoreLine.words("a\"b c\"d\n")).containsExactly("ab c", "d");
    assertThat(RestoreLine.words("--comment \"open -j X\n"))
        .containsExactly("--comment", "open -j X\n");
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"16,16", "0x10,16", "010,8", "0,0", "4294967295,4294967295"})
  void numbersAreReadInCsBases(String text, long value) {
    assertThat(Values.u32(text)).hasValue(value);
  }

  @Test
  void badNumbersAreEmpty() {
    assertThat(Values.u32("4294967296")).isEmpty();
    assertThat(Values.u32("0x")).isEmpty();
    assertThat(Values.u32("09")).isEmpty();
    assertThat(Values.u32("-1")).isEmpty();
  }

  @Test
  void shortIpv4AddressesArePaddedWithZerosOnTheRight() {
    assertThat(Values.prefix(IpFamily.IPV4, "10.1").toString()).isEqualTo("10.1.0.0/32");
    assertThat(Values.prefix(IpFamily.IPV4, "10.1.2.3/255.255.0.0").toString())
        .isEqualTo("10.1.0.0/16");
    assertThatThrownBy(() -> Values.prefix(IpFamily.IPV4, "10.0.0.300"))
        .hasMessage("host/network `10.0.0.300' not found");
  }

  @ParameterizedTest(name = "{0} packets show as [{1}]")
  @CsvSource(
      delimiter = ';',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "0;    0 ",
        "99999;99999 ",
        "100000; 100K ",
        "999999;1000K ",
        "9999999;  10M ",
        "123456789; 123M ",
        "98765432109;  99G ",
        "-1;   0K "
      })
  void countersAreCutToUnitsAsXtablesPrintNumDoes(long n, String shown) {
    assertThat(Listing.number(n, false, false)).isEqualTo(shown);
  }

  @Test
  void savedStringsAreQuotedOnlyWhenNeeded() {
    assertThat(RuleText.quote("simple-name_1")).isEqualTo(" simple-name_1");
    assertThat(RuleText.quote("two words")).isEqualTo(" \"two words\"");
    assertThat(RuleText.quote("it's \"q\" \\")).isEqualTo(" \"it\\'s \\\"q\\\" \\\\\"");
    assertThat(RuleText.quote("")).isEqualTo(" \"\"");
  }

  @Test
  void theClockPrintsAsCtime() {
    assertThat(IptablesSave.ctime(dev.podpath.net.VirtualClock.EPOCH))
        .isEqualTo("Thu Jan  1 00:00:00 2026");
  }

  @Test
  void longOptionsMayBeAbbreviatedWhenUnambiguous() {
    var nf = TestNamespace.netfilter();
    assertThat(
            Iptables.run(
                    nf,
                    List.of(
                        "iptables",
                        "--app",
                        "INPUT",
                        "--proto",
                        "tcp",
                        "--dp",
                        "22",
                        "--jump",
                        "ACCEPT"),
                    "")
                .exitCode())
        .isZero();
    assertThat(Iptables.run(nf, List.of("iptables", "-S", "INPUT"), "").stdout())
        .isEqualTo("-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n");
    assertThat(Iptables.run(nf, List.of("iptables", "--in", "eth0", "-A", "INPUT"), "").stderr())
        .isEqualTo(
            "iptables v1.8.9 (nf_tables): unknown option \"--in\"\n"
                + "Try `iptables -h' or 'iptables --help' for more information.\n");
  }
}
