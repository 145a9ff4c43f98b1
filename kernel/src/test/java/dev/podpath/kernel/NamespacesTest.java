package dev.podpath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.link.Veth;
import dev.podpath.net.trace.Fate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Namespaces and device moves as {@code ip netns} and {@code ip link set … netns} behave. */
class NamespacesTest {

  private final EmbeddedWorld w = new EmbeddedWorld();

  /**
   * {@code ip netns add x} twice: {@code Cannot create namespace file "/var/run/netns/x": File
   * exists}.
   */
  @Test
  void namespacesAreAddedListedAndDeleted() {
    var h = w.host("h");
    h.addNamespace("x");
    h.addNamespace("a");
    assertThat(h.namespaceNames()).containsExactly("a", "x");
    assertThatThrownBy(() -> h.addNamespace("x"))
        .hasMessage("Cannot create namespace file \"/var/run/netns/x\": File exists");
    h.deleteNamespace("x");
    assertThatThrownBy(() -> h.deleteNamespace("x"))
        .hasMessage("Cannot remove namespace file \"/var/run/netns/x\": No such file or directory");
    assertThat(h.namespaceNames()).containsExactly("a");
  }

  /**
   * {@code ip link add v0 type veth peer name v1; ip link set v1 netns x}: v1 arrives down and
   * without addresses, keeps its index, and v0 shows {@code link-netns x}; deleting x destroys v1
   * and with it v0.
   */
  @Test
  void aVethEndMovesToAnotherNamespaceAndDiesWithIt() {
    var root = w.host("h").root();
    var x = w.host("h").addNamespace("x");
    var v0 = root.addVeth("v0", "v1", Optional.empty());
    w.addr("h", "v1", "10.9.0.1/24");
    root.setUp("v1", true);
    int index = root.link("v1").ifindex();
    root.moveLink("v1", x);
    var v1 = (Veth) x.link("v1");
    assertThat(v1.adminUp()).isFalse();
    assertThat(x.routing().addresses("v1")).isEmpty();
    assertThat(v1.ifindex()).isEqualTo(index);
    assertThat(root.linkNetns(v0)).contains("x");
    assertThat(root.findLink("v1")).isEmpty();
    w.host("h").deleteNamespace("x");
    assertThat(root.findLink("v0")).isEmpty();
  }

  /**
   * Renaming needs the device down ({@code RTNETLINK answers: Device or resource busy}); routes
   * follow the new name.
   */
  @Test
  void renameNeedsTheDeviceDown() {
    w.netns("h/a");
    w.netns("h/b");
    w.veth("h/a", "eth0", "10.1.0.1/24", "h/b", "eth0", "10.1.0.2/24");
    var a = w.ns("h/a");
    assertThatThrownBy(() -> a.rename("eth0", "net0"))
        .hasMessage("RTNETLINK answers: Device or resource busy");
    a.setUp("eth0", false);
    a.rename("eth0", "net0");
    a.setUp("net0", true);
    assertThat(a.routing().routeGet(dev.podpath.net.IpAddress.parse("10.1.0.2")).device())
        .isEqualTo("net0");
    assertThat(a.sysctls().find("net.ipv4.conf.net0.rp_filter")).contains("0");
    assertThat(w.ping("h/a", "10.1.0.2").all(Fate.DELIVERED)).isTrue();
  }
}
