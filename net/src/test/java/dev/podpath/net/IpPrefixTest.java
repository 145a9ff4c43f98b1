package dev.podpath.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

  @Test
  void keepsTheWrittenAddressAndMasksOnRequest() {
    var p = IpPrefix.parse("10.244.1.7/16");
    assertThat(p).hasToString("10.244.1.7/16");
    assertThat(p.masked()).hasToString("10.244.0.0/16");
    assertThat(p.last()).hasToString("10.244.255.255");
  }

  @Test
  void containsAddressesOfItsFamilyOnly() {
    var p = IpPrefix.parse("10.96.0.0/12");
    assertThat(p.contains(IpAddress.parse("10.111.255.255"))).isTrue();
    assertThat(p.contains(IpAddress.parse("10.112.0.0"))).isFalse();
    assertThat(p.contains(IpAddress.parse("::1"))).isFalse();
    assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpAddress.parse("1.2.3.4"))).isTrue();
    assertThat(IpPrefix.parse("fd00::/64").contains(IpAddress.parse("fd00::1:2"))).isTrue();
    assertThat(IpPrefix.parse("fd00::/64").contains(IpAddress.parse("fd00:0:0:1::"))).isFalse();
    assertThat(IpPrefix.parse("fd00::/72").contains(IpAddress.parse("fd00::ff:0:0:0"))).isTrue();
    assertThat(IpPrefix.parse("fd00::/72").contains(IpAddress.parse("fd00::100:0:0:0"))).isFalse();
  }

  @Test
  void aBareAddressIsAHostPrefix() {
    assertThat(IpPrefix.parse("1.2.3.4")).hasToString("1.2.3.4/32");
    assertThat(IpPrefix.parse("::1").isHost()).isTrue();
  }

  @Test
  void rejectsLengthsOutsideTheFamily() {
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33"))
        .hasMessageContaining("prefix length: must be 0..32, got 33");
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
