package dev.podpath.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.proxy.Endpoint;
import dev.podpath.proxy.ServicePortName;
import org.junit.jupiter.api.Test;

class ChainNamesTest {

  private final ServicePortName svc1 = new ServicePortName("ns1", "svc1", "p80", Protocol.TCP);

  @Test
  void servicePortChainsShareTheHashOfNameAndProtocol() {
    assertThat(ChainNames.svc(svc1)).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
    assertThat(ChainNames.ext(svc1)).isEqualTo("KUBE-EXT-XPGD46QRK7WJZT7O");
    assertThat(ChainNames.fw(svc1)).isEqualTo("KUBE-FW-XPGD46QRK7WJZT7O");
    assertThat(ChainNames.svl(svc1)).isEqualTo("KUBE-SVL-XPGD46QRK7WJZT7O");
  }

  @Test
  void endpointChainHashesTheEndpointStringToo() {
    var ep = new Endpoint(IpAddress.parse("10.180.0.1"), 80, false, true, true, false);
    assertThat(ChainNames.sep(svc1, ep)).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
  }

  @Test
  void probabilityOfAnExactTieRoundsToEvenAsGoDoes() {
    assertThat(Probability.of(2048)).isEqualTo("0.0004882812");
    assertThat(Probability.of(3)).isEqualTo("0.3333333333");
  }
}
