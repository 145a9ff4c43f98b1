package dev.podpath.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeProxyConfigurationReaderTest {

  @Test
  void anEmptyConfigurationHasUpstreamsDefaults() {
    var c =
        KubeProxyConfigurationReader.parse(
            """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        """);
    assertThat(c).isEqualTo(KubeProxyConfiguration.defaults());
    assertThat(c.mode()).isEqualTo(ProxyMode.IPTABLES);
    assertThat(c.masqueradeMark()).isEqualTo("0x00004000");
    assertThat(c.scheduler()).isEqualTo("rr");
    assertThat(c.localhostNodePorts()).isTrue();
  }

  @Test
  void readsTheFieldsKubeProxyUses() {
    var c =
        KubeProxyConfigurationReader.parse(
            """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        clusterCIDR: 10.244.0.0/16,fd00:10:244::/56
        detectLocalMode: InterfaceNamePrefix
        detectLocal:
          interfaceNamePrefix: veth
        iptables:
          masqueradeAll: true
          masqueradeBit: 15
          localhostNodePorts: false
          syncPeriod: 1m30s
        ipvs:
          scheduler: wrr
          strictARP: true
          tcpTimeout: 900s
        nodePortAddresses: [192.168.0.0/24, primary]
        conntrack:
          tcpBeLiberal: true
        """);
    assertThat(c.mode()).isEqualTo(ProxyMode.IPVS);
    assertThat(c.clusterCidrs()).containsExactly("10.244.0.0/16", "fd00:10:244::/56");
    assertThat(c.detectLocalMode()).isEqualTo("InterfaceNamePrefix");
    assertThat(c.interfaceNamePrefix()).isEqualTo("veth");
    assertThat(c.masqueradeAll()).isTrue();
    assertThat(c.masqueradeMark()).isEqualTo("0x00008000");
    assertThat(c.localhostNodePorts()).isFalse();
    assertThat(c.syncPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.scheduler()).isEqualTo("wrr");
    assertThat(c.ipvsStrictArp()).isTrue();
    assertThat(c.ipvsTcpTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.nodePortAddresses()).containsExactly("192.168.0.0/24", "primary");
    assertThat(c.tcpBeLiberal()).isTrue();
  }

  @Test
  void aBadFieldIsNamedByItsPath() {
    assertThatThrownBy(
            () ->
                KubeProxyConfigurationReader.parse(
                    """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        iptables: {masqueradeAll: maybe}
        """))
        .hasMessageContaining("iptables.masqueradeAll");
    assertThatThrownBy(
            () ->
                KubeProxyConfigurationReader.parse(
                    """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: userspace
        """))
        .hasMessageContaining("mode");
    assertThatThrownBy(
            () ->
                KubeProxyConfigurationReader.parse(
                    """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        iptables: {syncPeriod: soon}
        """))
        .hasMessageContaining("iptables.syncPeriod");
  }
}
