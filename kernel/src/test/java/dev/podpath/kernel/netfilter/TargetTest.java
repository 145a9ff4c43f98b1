package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.ping;
import static dev.podpath.kernel.netfilter.Pk.proto;
import static dev.podpath.kernel.netfilter.Pk.replyTo;
import static dev.podpath.kernel.netfilter.Pk.syn;
import static dev.podpath.kernel.netfilter.Pk.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.RejectWith;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.Protocol;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The non-NAT targets: MARK, CONNMARK, LOG, REJECT, TRACE. */
class TargetTest {

  private final Harness h = new Harness().address("rc", "10.1.0.1/24").address("rs", "10.2.0.1/24");

  static Stream<Arguments> marks() {
    return Stream.of( // target, mark before, mark after
        Arguments.of(
            "--set-xmark 0x4000/0x0 toggles on", Target.Mark.setXmark(0x4000, 0), 0x0, 0x4000),
        Arguments.of(
            "--set-xmark 0x4000/0x0 toggles off", Target.Mark.setXmark(0x4000, 0), 0x4000, 0x0),
        Arguments.of(
            "--set-xmark 0x4000/0x4000 sets the bit",
            Target.Mark.setXmark(0x4000, 0x4000),
            0x1,
            0x4001),
        Arguments.of("--set-mark 0x8 replaces", Target.Mark.setMark(0x8), 0x4001, 0x8),
        Arguments.of("--set-mark 0x8/0xf", Target.Mark.setMark(0x8, 0xf), 0x4003, 0x4008),
        Arguments.of("--or-mark 0x4000", Target.Mark.orMark(0x4000), 0x1, 0x4001),
        Arguments.of("--and-mark 0x4000", Target.Mark.andMark(0x4000), 0x4001, 0x4000),
        Arguments.of("--xor-mark 0x4000", Target.Mark.xorMark(0x4000), 0x4001, 0x1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("marks")
  void markTargets(String name, Target.Mark target, int before, int after) {
    h.append(TableName.MANGLE, "PREROUTING", "-A PREROUTING -j MARK " + name, target);
    var ctx =
        new dev.podpath.kernel.path.PacketContext(
            h.ns, syn("10.1.0.2", 1, "10.2.0.2", 80), h.chooser);
    ctx.setMark(before);
    ctx.setInInterface("rc");
    h.hooks.run(dev.podpath.kernel.path.Hook.PREROUTING, ctx);
    assertThat(Integer.toHexString(ctx.mark())).isEqualTo(Integer.toHexString(after));
  }

  @Test
  void connmarkSavesThePacketMarkAndRestoresItOnTheReply() {
    h.append(
        TableName.MANGLE,
        "FORWARD",
        "-A FORWARD -j MARK --set-xmark 0x10/0x10",
        Target.Mark.setXmark(0x10, 0x10),
        new Match.InInterface("rc", false));
    h.append(
        TableName.MANGLE,
        "FORWARD",
        "-A FORWARD -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff",
        Target.ConnMark.saveMark(0xffffffff, 0xffffffff),
        new Match.InInterface("rc", false));
    h.append(
        TableName.MANGLE,
        "FORWARD",
        "-A FORWARD -i rs -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff",
        Target.ConnMark.restoreMark(0xffffffff, 0xffffffff),
        new Match.InInterface("rs", false));
    var out = h.forward(udp("10.1.0.2", 1, "10.2.0.2", 53), "rc", "rs");
    assertThat(out.ctx().connection().orElseThrow().mark()).isEqualTo(0x10);
    var back = h.forward(replyTo(out.packet()), "rs", "rc");
    assertThat(back.ctx().mark()).isEqualTo(0x10);
    assertThat(h.nf.conntrack().list().get(0).toString()).contains("mark=16");
  }

  @Test
  void connmarkSetXmarkChangesTheConnectionMarkAndConnmarkMatchesIt() {
    h.append(
        TableName.MANGLE,
        "PREROUTING",
        "-A PREROUTING -j CONNMARK --set-xmark 0x1/0x1",
        Target.ConnMark.setXmark(0x1, 0x1));
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -m connmark --mark 0x1/0x1 -j DROP",
        new Target.Drop(),
        new Match.ConnMark(1, 1, false));
    assertThat(h.forward(udp("10.1.0.2", 1, "10.2.0.2", 53), "rc", "rs").accepted()).isFalse();
  }

  @Test
  void logWritesTheKernelLineAndThePacketGoesOn() {
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -p tcp -j LOG --log-prefix \"fw: \"",
        Target.Log.withPrefix("fw: "),
        proto(Protocol.TCP));
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -p tcp -j DROP",
        new Target.Drop(),
        proto(Protocol.TCP));
    var r = h.forward(syn("10.1.0.2", 40000, "10.2.0.2", 80), "rc", "rs");
    assertThat(r.accepted()).isFalse();
    assertThat(r.logs())
        .containsExactly(
            "fw: IN=rc OUT=rs MAC=02:00:00:00:00:01:02:00:00:00:00:02:08:00 SRC=10.1.0.2"
                + " DST=10.2.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=40000"
                + " DPT=80 WINDOW=64240 RES=0x00 SYN URGP=0");
    assertThat(r.rules()).extracting(s -> s.verdict()).containsExactly("continue", "DROP");
  }

  @Test
  void logOfAnEchoRequestAndOfALocallyGeneratedPacket() {
    h.append(TableName.FILTER, "OUTPUT", "-A OUTPUT -j LOG", new Target.Log("", 4, Set.of()));
    var r = h.localOut(ping("10.2.0.1", "10.2.0.2", 7), "rs");
    assertThat(r.logs())
        .containsExactly(
            "IN= OUT=rs SRC=10.2.0.1 DST=10.2.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 "
                + "ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=0");
  }

  @Test
  void rejectAnswersWithItsKind() {
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -p tcp -j REJECT --reject-with tcp-reset",
        new Target.Reject(RejectWith.TCP_RESET),
        proto(Protocol.TCP));
    h.append(
        TableName.FILTER,
        "FORWARD",
        "-A FORWARD -j REJECT --reject-with icmp-port-unreachable",
        new Target.Reject(RejectWith.ICMP_PORT_UNREACHABLE));
    assertThat(h.forward(syn("10.1.0.2", 1, "10.2.0.2", 80), "rc", "rs").verdict())
        .isEqualTo(new Verdict.Reject("tcp-reset"));
    assertThat(h.forward(udp("10.1.0.2", 1, "10.2.0.2", 53), "rc", "rs").verdict())
        .isEqualTo(new Verdict.Reject("icmp-port-unreachable"));
  }

  @Test
  void traceIsNotedAndThePacketGoesOn() {
    h.append(TableName.RAW, "PREROUTING", "-A PREROUTING -j TRACE", new Target.Trace());
    var r = h.forward(udp("10.1.0.2", 1, "10.2.0.2", 53), "rc", "rs");
    assertThat(r.accepted()).isTrue();
    assertThat(r.steps()).anyMatch(s -> s.toString().contains("TRACE"));
  }

  /**
   * Checked on Linux 6.18 in mangle OUTPUT, one UDP packet to port 30: every one of these rules
   * counted it, and {@code conntrack -L} showed the entry with {@code mark=16385}.
   *
   * <pre>
   * -A OUTPUT -p udp -m udp --dport 30 -j MARK --set-xmark 0x4000/0x0
   * -A OUTPUT -p udp -m udp --dport 30 -m mark --mark 0x4000
   * -A OUTPUT -p udp -m udp --dport 30 -j MARK --set-xmark 0x4000/0x0
   * -A OUTPUT -p udp -m udp --dport 30 -m mark --mark 0x0
   * -A OUTPUT -p udp -m udp --dport 30 -j MARK --set-xmark 0x1/0xffffffff      (--set-mark 0x1)
   * -A OUTPUT -p udp -m udp --dport 30 -j MARK --set-xmark 0x4000/0x4000       (--or-mark 0x4000)
   * -A OUTPUT -p udp -m udp --dport 30 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff
   * -A OUTPUT -p udp -m udp --dport 30 -m mark --mark 0x4001
   * </pre>
   */
  @Test
  void theMarkSequenceCheckedOnLinux() {
    Match[] udp30 = {proto(Protocol.UDP), Pk.udpDport(30)};
    h.append(TableName.MANGLE, "OUTPUT", "1", Target.Mark.setXmark(0x4000, 0), udp30);
    h.append(
        TableName.MANGLE,
        "OUTPUT",
        "2",
        new Target.None(),
        udp30[0],
        udp30[1],
        new Match.Mark(0x4000, 0xffffffff, false));
    h.append(TableName.MANGLE, "OUTPUT", "3", Target.Mark.setXmark(0x4000, 0), udp30);
    h.append(
        TableName.MANGLE,
        "OUTPUT",
        "4",
        new Target.None(),
        udp30[0],
        udp30[1],
        new Match.Mark(0, 0xffffffff, false));
    h.append(TableName.MANGLE, "OUTPUT", "5", Target.Mark.setMark(0x1), udp30);
    h.append(TableName.MANGLE, "OUTPUT", "6", Target.Mark.orMark(0x4000), udp30);
    h.append(
        TableName.MANGLE, "OUTPUT", "7", Target.ConnMark.saveMark(0xffffffff, 0xffffffff), udp30);
    h.append(
        TableName.MANGLE,
        "OUTPUT",
        "8",
        new Target.None(),
        udp30[0],
        udp30[1],
        new Match.Mark(0x4001, 0xffffffff, false));
    h.localOut(udp("10.2.0.1", 42938, "10.2.0.2", 30), "rs");
    var rules =
        h.nf.table(dev.podpath.net.IpFamily.IPV4, TableName.MANGLE).requireChain("OUTPUT").rules();
    assertThat(rules).allMatch(r -> r.counters().packets() == 1);
    assertThat(h.nf.conntrack().list().get(0).toString())
        .isEqualTo(
            "udp      17 30 src=10.2.0.1 dst=10.2.0.2 "
                + "sport=42938 dport=30 [UNREPLIED] src=10.2.0.2 dst=10.2.0.1 sport=30 dport=42938 mark=16385 use=1");
  }
}
