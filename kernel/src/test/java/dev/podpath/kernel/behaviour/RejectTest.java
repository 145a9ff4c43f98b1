package dev.podpath.kernel.behaviour;

import static dev.podpath.kernel.embedded.Rules.append;
import static dev.podpath.kernel.embedded.Rules.proto;
import static dev.podpath.kernel.embedded.Rules.tcpDport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.embedded.EmbeddedWorld;
import dev.podpath.kernel.netfilter.rule.RejectWith;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.Protocol;
import dev.podpath.net.trace.Fate;
import org.junit.jupiter.api.Test;

/** REJECT answers the sender: the attempt is rejected and the error gets back to the client. */
class RejectTest {

  @Test
  void rejectSendsTheErrorBackToTheClient() {
    var w = new EmbeddedWorld();
    w.netns("h/a");
    w.netns("h/b");
    w.veth("h/a", "eth0", "10.1.0.1/24", "h/b", "eth0", "10.1.0.2/24");
    w.listen("h/b", "tcp", 80).listen("h/b", "tcp", 443);
    append(
        w.ns("h/b"),
        TableName.FILTER,
        "INPUT",
        "-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset",
        new Target.Reject(RejectWith.TCP_RESET),
        proto(Protocol.TCP),
        tcpDport(80));
    append(
        w.ns("h/b"),
        TableName.FILTER,
        "INPUT",
        "-A INPUT -p tcp -m tcp --dport 443 -j REJECT --reject-with icmp-port-unreachable",
        new Target.Reject(RejectWith.ICMP_PORT_UNREACHABLE),
        proto(Protocol.TCP),
        tcpDport(443));
    var reset = w.tcp("h/a", "10.1.0.2:80");
    assertThat(reset.all(Fate.REJECTED)).isTrue();
    assertThat(reset.answered()).isTrue();
    var icmp = w.tcp("h/a", "10.1.0.2:443");
    assertThat(icmp.all(Fate.REJECTED)).isTrue();
    assertThat(icmp.answered()).isTrue();
    assertThat(icmp.last().chains()).contains("filter/INPUT");
  }
}
