package dev.podpath.shell.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import dev.podpath.net.SampledChooser;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Single writing commands that name one chain commit only that chain ({@code
 * Netfilter.commitChain}); the whole-table path (copy, edit, compile, validate, commit) is the
 * reference. For random command sequences (jumps, gotos, loops, NAT and REJECT targets in allowed
 * and refused places, missing chains, {@code -c} counters, chain creation, renaming and deletion)
 * over filter and nat (and raw, which no command created first), run on two namespaces, one per
 * path, with random packets walked between commands: every command answers the same (output,
 * refusal message, exit code), {@code iptables-save -c} of every table is the same after it, and
 * every packet gets the same verdict, mark and translated packet.
 */
class IncrementalCommitProperties {

  private static final List<String> CHAINS =
      List.of(
          "INPUT",
          "FORWARD",
          "OUTPUT",
          "PREROUTING",
          "POSTROUTING",
          "A",
          "B",
          "C",
          "A",
          "B",
          "C",
          "nosuch");

  private static final List<String> TARGETS =
      List.of(
          "-j ACCEPT",
          "-j DROP",
          "-j RETURN",
          "-j A",
          "-j B",
          "-j C",
          "-g A",
          "-g B",
          "-j nosuch",
          "-j INPUT",
          "-j MARK --set-mark 1",
          "-j MARK --set-mark 2",
          "-j REJECT",
          "-j DNAT --to-destination 10.9.0.1",
          "-j SNAT --to-source 10.9.0.2",
          "-j MASQUERADE",
          "");

  private static final List<String> MATCHES =
      List.of(
          "",
          "",
          "-s 10.0.0.1",
          "-d 10.0.0.2",
          "-d 10.0.0.0/30",
          "! -s 10.0.0.0/31",
          "-p tcp --dport 80",
          "-p udp --dport 53",
          "-m mark --mark 1",
          "-p tcp -m multiport --dports 80,443",
          "-m statistic --mode nth --every 2 --packet 0",
          "-c 5 500");

  @Provide
  Arbitrary<List<String>> command() {
    Arbitrary<String> table = Arbitraries.of("", "", "-t nat ", "-t nat ", "-t raw ");
    Arbitrary<String> chain = Arbitraries.of(CHAINS);
    Arbitrary<String> spec =
        Combinators.combine(Arbitraries.of(MATCHES), Arbitraries.of(TARGETS))
            .as((m, t) -> (m + " " + t).trim());
    Arbitrary<Integer> num = Arbitraries.integers().between(1, 4);
    Arbitrary<String> line =
        Combinators.combine(table, Arbitraries.integers().between(0, 15), chain, spec, num, chain)
            .as(
                (t, op, c, s, n, other) ->
                    t
                        + switch (op) {
                          case 0, 1, 2, 3 -> "-A " + c + " " + s;
                          case 4 -> "-I " + c + " " + n + " " + s;
                          case 5 -> "-R " + c + " " + n + " " + s;
                          case 6 -> "-D " + c + " " + n;
                          case 7 -> "-D " + c + " " + s;
                          case 8 -> "-F " + c;
                          case 9 -> "-Z " + c + (n > 2 ? " " + n : "");
                          case 10 -> "-P " + c + (n > 2 ? " DROP" : " ACCEPT");
                          case 11 -> "-N " + c;
                          case 12 -> "-X " + c;
                          case 13 -> "-E " + c + " " + other;
                          case 14 -> "-C " + c + " " + s;
                          default -> n > 2 ? "-F" : "-Z";
                        });
    return line.map(l -> List.of(l.trim().split(" +")));
  }

  @Provide
  Arbitrary<List<List<String>>> commands() {
    return command().list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 1000)
  void incrementalCommandsDoWhatTheWholeTableDoes(
      @ForAll("commands") List<List<String>> commands, @ForAll long seed) {
    Netfilter incremental = TestNamespace.netfilter();
    Netfilter whole = TestNamespace.netfilter();
    var rnd = new Random(seed);
    var all = new ArrayList<List<String>>();
    for (String table : List.of("filter", "nat")) {
      for (String chain : List.of("A", "B", "C")) {
        all.add(List.of("-t", table, "-N", chain));
      }
    }
    all.addAll(commands);
    for (List<String> args : all) {
      ToolResult expected = Iptables.iptables(whole, IpFamily.IPV4, args, false);
      ToolResult actual = Iptables.iptables(incremental, IpFamily.IPV4, args, true);
      assertThat(actual).as("%s", args).isEqualTo(expected);
      assertThat(IptablesGoldenTest.state(incremental))
          .as("%s", args)
          .isEqualTo(IptablesGoldenTest.state(whole));
      long packetSeed = rnd.nextLong();
      assertThat(walk(incremental, packetSeed))
          .as("after %s", args)
          .isEqualTo(walk(whole, packetSeed));
      assertThat(IptablesGoldenTest.state(incremental))
          .as("counters after walking, %s", args)
          .isEqualTo(IptablesGoldenTest.state(whole));
    }
  }

  /**
   * Committing one chain resets the {@code statistic --mode nth} counters of the other chains too,
   * as the whole-table commit does (the rules are compiled afresh there).
   */
  @Example
  void nthCountersOfOtherChainsRestartAsOnAWholeCommit() {
    var verdicts = new ArrayList<List<String>>();
    for (boolean incremental : List.of(false, true)) {
      Netfilter nf = TestNamespace.netfilter();
      var seen = new ArrayList<String>();
      List<List<String>> commands =
          List.of(
              List.of(
                  "-A",
                  "FORWARD",
                  "-m",
                  "statistic",
                  "--mode",
                  "nth",
                  "--every",
                  "2",
                  "--packet",
                  "0",
                  "-j",
                  "DROP"),
              List.of("-A", "INPUT", "-j", "ACCEPT"));
      for (List<String> args : commands) {
        assertThat(Iptables.iptables(nf, IpFamily.IPV4, args, incremental).exitCode()).isZero();
        seen.add(forward(nf));
      }
      seen.add(forward(nf));
      verdicts.add(seen);
    }
    assertThat(verdicts.get(1)).isEqualTo(verdicts.get(0));
    assertThat(verdicts.get(0)).containsExactly("DROP", "DROP", "ACCEPT");
  }

  private static String forward(Netfilter nf) {
    var ctx =
        new PacketContext(
            nf.view(),
            Packet.udp(new Ipv4Address(0x0a000001), 1000, new Ipv4Address(0x0a000002), 53),
            new SampledChooser(1));
    ctx.setInInterface("eth0");
    ctx.setOutInterface("eth1");
    return nf.hooks().run(Hook.FORWARD, ctx) instanceof Verdict.Accept ? "ACCEPT" : "DROP";
  }

  /** What a few random packets meet on the forward, input and output paths. */
  private static List<String> walk(Netfilter nf, long seed) {
    var rnd = new Random(seed);
    var out = new ArrayList<String>();
    for (int i = 0; i < 4; i++) {
      Ipv4Address src = new Ipv4Address(0x0a000000 + rnd.nextInt(4));
      Ipv4Address dst = new Ipv4Address(0x0a000000 + rnd.nextInt(4));
      int port = rnd.nextBoolean() ? 80 : 53;
      Packet p =
          rnd.nextBoolean()
              ? Packet.tcpSyn(src, 1000 + rnd.nextInt(50), dst, port)
              : Packet.udp(src, 1000 + rnd.nextInt(50), dst, port);
      List<Hook> path =
          switch (rnd.nextInt(3)) {
            case 0 -> List.of(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING);
            case 1 -> List.of(Hook.PREROUTING, Hook.INPUT);
            default -> List.of(Hook.OUTPUT, Hook.POSTROUTING);
          };
      var ctx = new PacketContext(nf.view(), p, new SampledChooser(seed));
      ctx.setMark(rnd.nextInt(3));
      ctx.setLocallyGenerated(path.get(0) == Hook.OUTPUT);
      for (Hook h : path) {
        if (h == Hook.PREROUTING || h == Hook.INPUT || h == Hook.FORWARD) {
          ctx.setInInterface("eth0");
        }
        if (h == Hook.OUTPUT || h == Hook.FORWARD || h == Hook.POSTROUTING) {
          ctx.setOutInterface("eth1");
        }
        String seen;
        try {
          Verdict v = nf.hooks().run(h, ctx);
          seen = h + " " + v + " " + ctx.packet() + " mark " + ctx.mark();
          if (!(v instanceof Verdict.Accept)) {
            out.add(seen);
            break;
          }
        } catch (RuntimeException e) {
          out.add(h + " " + e);
          break;
        }
        out.add(seen);
      }
    }
    return out;
  }
}
