package dev.podpath.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Ipv6Address;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ReverseNameProperties {

  @Property
  void aReverseNameGivesBackItsIpv4Address(@ForAll int bits) {
    IpAddress ip = new Ipv4Address(bits);
    assertThat(KubernetesRecords.addressFromReverse(KubernetesRecords.reverseName(ip)))
        .contains(ip);
  }

  @Property
  void aReverseNameGivesBackItsIpv6AddressInAnyCase(@ForAll long high, @ForAll long low) {
    IpAddress ip = new Ipv6Address(high, low);
    String name = KubernetesRecords.reverseName(ip).toUpperCase(Locale.ROOT);
    assertThat(KubernetesRecords.addressFromReverse(name)).contains(ip);
  }

  @Property
  void aDashedEndpointNameReadsBackAsThePodQueryParsesIt(
      @ForAll long high, @ForAll long low, @ForAll int v4) {
    for (IpAddress ip : new IpAddress[] {new Ipv4Address(v4), new Ipv6Address(high, low)}) {
      String label = new EndpointAddress(ip, "", "").label(false);
      boolean asV4 = label.chars().filter(c -> c == '-').count() == 3 && !label.contains("--");
      String text = asV4 ? label.replace('-', '.') : label.replace('-', ':');
      if (!asV4 && text.endsWith("::0")) {
        text = text.substring(0, text.length() - 1);
      }
      assertThat(KubernetesRecords.parseIp(text)).contains(ip);
    }
  }
}
