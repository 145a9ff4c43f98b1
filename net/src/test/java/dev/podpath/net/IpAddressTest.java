package dev.podpath.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1, 10.0.0.1",
    "255.255.255.255, 255.255.255.255",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
    "fd00:0:0:0:1:0:0:0, fd00::1:0:0:0",
    "::, ::",
    "::1, ::1",
    "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
    "2001:db8:0:2:3:4:5:6, 2001:db8:0:2:3:4:5:6"
  })
  void printsTheCanonicalFormLinuxToolsPrint(String input, String printed) {
    assertThat(IpAddress.parse(input)).hasToString(printed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.300", "10.0.0", "10.0.0.1.2", "010.0.0.1", "a.b.c.d", "", "1:2:3"})
  void rejectsWhatIsNotAnAddress(String text) {
    assertThatThrownBy(() -> IpAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void ordersByFamilyThenValue() {
    assertThat(IpAddress.parse("10.0.0.2")).isGreaterThan(IpAddress.parse("10.0.0.1"));
    assertThat(IpAddress.parse("200.0.0.1")).isGreaterThan(IpAddress.parse("10.0.0.1"));
    assertThat(IpAddress.parse("::1")).isGreaterThan(IpAddress.parse("255.255.255.255"));
  }

  @org.junit.jupiter.api.Test
  void stepsAcrossByteAndHalfBoundaries() {
    assertThat(IpAddress.parse("10.0.0.255").plus(1)).hasToString("10.0.1.0");
    assertThat(IpAddress.parse("::ffff:ffff:ffff:ffff").plus(1)).hasToString("0:0:0:1::");
    assertThat(IpAddress.parse("0:0:0:1::").plus(-1)).hasToString("::ffff:ffff:ffff:ffff");
  }
}
