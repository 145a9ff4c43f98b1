package dev.podpath.shell.ipset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.shell.ToolResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ipset} against what ipset v7.17 printed on Linux 6.18 in a namespace (pp-proxy-ipvs-lab-m)
 * for the same commands: sizes in memory, revisions, headers (but {@code initval}, which the kernel
 * draws at random), messages and exit codes.
 */
class IpsetToolTest {

  private NetNamespace ns;

  @BeforeEach
  void node() {
    ns = new World().addHost("node").root();
  }

  private ToolResult ipset(String line) {
    return IpsetTool.run(ns, List.of(("ipset " + line).split(" ")), Optional.empty());
  }

  private static String noInitval(String text) {
    return text.replaceAll("initval 0x\\p{XDigit}{8}", "initval 0x…");
  }

  @Test
  void listShowsTheKernelsHeaderSizeAndSortedMembers() {
    ipset("create LB hash:ip,port,ip");
    ipset("add LB 10.244.1.5,tcp:8080,10.244.1.5");
    ipset("add LB 10.244.1.6,udp:53,10.244.1.6");
    var r = ipset("list LB");
    assertThat(r.exitCode()).isZero();
    assertThat(noInitval(r.stdout()))
        .isEqualTo(
            """
            Name: LB
            Type: hash:ip,port,ip
            Revision: 6
            Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x…
            Size in memory: 320
            References: 0
            Number of entries: 2
            Members:
            10.244.1.5,tcp:8080,10.244.1.5
            10.244.1.6,udp:53,10.244.1.6
            """);
  }

  @Test
  void sizesFollowTheTypeFamilyAndMembers() {
    ipset("create a hash:ip");
    ipset("create b hash:ip,port,net");
    ipset("create c hash:net,port");
    ipset("create d bitmap:port range 1-1024");
    ipset("create e hash:ip timeout 60");
    ipset("create f hash:ip,port,ip family inet6");
    for (int i = 1; i <= 4; i++) {
      ipset("add b 10.0." + i + ".1,tcp:80,10." + i + ".0.0/16");
    }
    ipset("add c 10.0.0.0/8,tcp:80");
    ipset("add c 10.1.0.0/16,tcp:80");
    ipset("add e 1.1.1.1");
    ipset("add e 1.1.1.2");
    ipset("add f fd00::1,tcp:80,fd00::1");
    ipset("add f fd00::2,tcp:80,fd00::2");
    assertThat(ipset("list -t").stdout().lines().filter(l -> l.startsWith("Size")).toList())
        .containsExactly(
            "Size in memory: 216",
            "Size in memory: 688",
            "Size in memory: 552",
            "Size in memory: 200",
            "Size in memory: 344",
            "Size in memory: 440");
  }

  @Test
  void saveTestAndErrorsReadLikeIpset() {
    ipset("create S hash:ip,port");
    ipset("create B bitmap:port range 0-1024");
    assertThat(ipset("add S 1.2.3.4,80").exitCode()).isZero();
    assertThat(ipset("add S 1.2.3.4,udp:53").exitCode()).isZero();
    assertThat(noInitval(ipset("save S").stdout()))
        .isEqualTo(
            """
            create S hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x…
            add S 1.2.3.4,tcp:80
            add S 1.2.3.4,udp:53
            """);
    assertThat(ipset("list S -o save").stdout()).isEqualTo(ipset("save S").stdout());
    assertThat(ipset("list -n").stdout()).as("creation order").isEqualTo("S\nB\n");
    var in = ipset("test S 1.2.3.4,tcp:80");
    assertThat(in.exitCode()).isZero();
    assertThat(in.stdout()).isEmpty();
    assertThat(in.stderr()).isEqualTo("Warning: 1.2.3.4,tcp:80 is in set S.\n");
    var out = ipset("test S 1.2.3.4,tcp:81");
    assertThat(out.exitCode()).isEqualTo(1);
    assertThat(out.stderr()).contains("1.2.3.4,tcp:81 is NOT in set S.");
    record Case(String command, int code, String message) {}
    for (var c :
        List.of(
            new Case("list NOPE", 1, "ipset v7.17: The set with the given name does not exist"),
            new Case(
                "add S bad", 1, "ipset v7.17: Syntax error: Second element is missing from bad."),
            new Case(
                "add S 1.2.3.4",
                1,
                "ipset v7.17: Syntax error: Second element is missing from 1.2.3.4."),
            new Case(
                "add S 1.2.3.4,tcp:99999",
                1,
                "ipset v7.17: Syntax error: '99999' is out of range 0-65535"),
            new Case(
                "create T hash:foo",
                1,
                "ipset v7.17: Syntax error: typename 'hash:foo' is unknown"),
            new Case("bogus", 2, "ipset v7.17: No command specified: unknown argument bogus"),
            new Case(
                "add S 1.2.3.4,udp:53",
                1,
                "ipset v7.17: Element cannot be added to the set: it's already added"),
            new Case(
                "del S 9.9.9.9,tcp:1",
                1,
                "ipset v7.17: Element cannot be deleted from the set: it's not added"),
            new Case(
                "create S hash:ip",
                1,
                "ipset v7.17: Set cannot be created: set with the same name already exists"),
            new Case("add B 2000", 1, "ipset v7.17: Element is out of the range of the set"),
            new Case(
                "add S fd00::1,tcp:1",
                1,
                "ipset v7.17: Syntax error: cannot parse fd00::1: resolving to IPv4 address failed"),
            new Case("destroy NOPE", 1, "ipset v7.17: The set with the given name does not exist"),
            new Case("flush NOPE", 1, "ipset v7.17: The set with the given name does not exist"))) {
      var r = ipset(c.command());
      assertThat(r.exitCode()).as(c.command()).isEqualTo(c.code());
      assertThat(r.stderr()).as(c.command()).startsWith(c.message());
    }
    assertThat(ipset("list S").stdout()).contains("Number of entries: 2");
  }

  @Test
  void restoreAppliesAllLinesOrNone() {
    var bad =
        IpsetTool.run(
            ns,
            List.of("ipset", "restore"),
            Optional.of(
                "create L hash:ip,port,ip\nadd L 10.0.0.1,tcp:80,10.0.0.1\nadd L nonsense\n"));
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).startsWith("ipset v7.17: Error in line 3: Syntax error:");
    assertThat(ipset("list -n").stdout()).isEmpty();
    var good =
        IpsetTool.run(
            ns,
            List.of("ipset", "restore"),
            Optional.of("create L hash:ip,port,ip\nadd L 10.0.0.1,tcp:80,10.0.0.1\n"));
    assertThat(good.exitCode()).isZero();
    assertThat(ipset("list L").stdout()).contains("Members:\n10.0.0.1,tcp:80,10.0.0.1\n");
  }

  private ToolResult ipset(String... words) {
    var argv = new java.util.ArrayList<String>(List.of("ipset"));
    argv.addAll(List.of(words));
    return IpsetTool.run(ns, argv, Optional.empty());
  }

  /**
   * Member comments as ipset v7.17 printed them on Linux 6.18 in a namespace (pp-ipvs-followups-a)
   * for the same commands: {@code comment} in the header (after timeout, before bucketsize), {@code
   * comment "…"} after the member (after its timeout), an empty comment is none, re-adding with
   * {@code -exist} replaces or drops the comment, and the refusals.
   */
  @Test
  void membersCarryCommentsWhenTheSetWasCreatedWithThem() {
    ipset("create B hash:ip,port comment");
    ipset("create A bitmap:port range 0-65535 comment");
    ipset("create C hash:ip");
    ipset("create E hash:ip,port,ip timeout 10 comment");
    assertThat(ipset("add", "B", "10.0.0.1,tcp:80", "comment", "hello world").exitCode()).isZero();
    ipset("add B 10.0.0.2,udp:53");
    ipset("add", "A", "30080", "comment", "x");
    ipset("add", "B", "10.0.0.3,tcp:1", "comment", "");
    ipset("add", "E", "10.0.0.1,tcp:80,10.0.0.1", "comment", "c");
    assertThat(noInitval(ipset("save").stdout()))
        .isEqualTo(
            """
            create B hash:ip,port family inet hashsize 1024 maxelem 65536 comment bucketsize 12 initval 0x…
            add B 10.0.0.1,tcp:80 comment "hello world"
            add B 10.0.0.2,udp:53
            add B 10.0.0.3,tcp:1
            create A bitmap:port range 0-65535 comment
            add A 30080 comment "x"
            create C hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x…
            create E hash:ip,port,ip family inet hashsize 1024 maxelem 65536 timeout 10 comment bucketsize 12 initval 0x…
            add E 10.0.0.1,tcp:80,10.0.0.1 timeout 10 comment "c"
            """);
    assertThat(ipset("list A").stdout())
        .contains("Header: range 0-65535 comment\n")
        .endsWith("Members:\n30080 comment \"x\"\n");
    ipset("-exist", "add", "B", "10.0.0.1,tcp:80", "comment", "new");
    assertThat(ipset("save B").stdout()).contains("add B 10.0.0.1,tcp:80 comment \"new\"\n");
    ipset("-exist", "add", "B", "10.0.0.1,tcp:80");
    assertThat(ipset("save B").stdout()).contains("add B 10.0.0.1,tcp:80\n");

    record Case(List<String> words, int code, String message) {}
    for (var c :
        List.of(
            new Case(
                List.of("add", "C", "1.2.3.5", "comment", "no"),
                1,
                "ipset v7.17: Comment cannot be used: set was created without comment support"),
            new Case(
                List.of("add", "B", "10.0.0.4,tcp:1", "comment", "a\"b"),
                1,
                "ipset v7.17: Syntax error: \" character is not permitted in comments"),
            new Case(
                List.of("add", "B", "10.0.0.9,tcp:1", "comment"),
                2,
                "ipset v7.17: Missing mandatory argument of option `comment'\n"
                    + "Try `ipset help' for more information."),
            new Case(
                List.of("del", "B", "10.0.0.2,udp:53", "comment", "zz"),
                2,
                "ipset v7.17: Unknown argument: `comment'\nTry `ipset help' for more information."),
            new Case(
                List.of("test", "B", "10.0.0.2,udp:53", "comment", "zz"),
                2,
                "ipset v7.17: Unknown argument: `comment'\nTry `ipset help' for more information."))) {
      var r = ipset(c.words().toArray(String[]::new));
      assertThat(r.exitCode()).as("%s", c.words()).isEqualTo(c.code());
      assertThat(r.stderr().strip()).as("%s", c.words()).isEqualTo(c.message());
    }
    assertThat(ipset("list B").stdout()).contains("Number of entries: 3");
  }

  /** A saved set with comments restores as it was; quoted comments keep their blanks. */
  @Test
  void restoreReadsQuotedComments() {
    ipset("create B hash:ip,port comment");
    ipset("add", "B", "10.0.0.1,tcp:80", "comment", "hello  world");
    String saved = ipset("save").stdout();
    ipset("destroy B");
    var r = IpsetTool.run(ns, List.of("ipset", "restore"), Optional.of(saved));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(ipset("save").stdout()).isEqualTo(saved);
  }

  /**
   * As the kernel's set array: creation order, a new set filling the index a destroyed one left.
   */
  @Test
  void setsAreListedByTheirKernelIndex() {
    ipset("create Z hash:ip");
    ipset("create Y hash:ip");
    ipset("create X hash:ip");
    ipset("destroy Z");
    ipset("create W hash:ip");
    assertThat(ipset("list -n").stdout()).isEqualTo("W\nY\nX\n");
    ipset("rename Y V");
    assertThat(ipset("list -n").stdout()).isEqualTo("W\nV\nX\n");
    ipset("swap W X");
    assertThat(ipset("list -n").stdout()).isEqualTo("W\nV\nX\n");
    assertThat(ipset("list -t").stdout().lines().filter(l -> l.startsWith("Name: ")).toList())
        .containsExactly("Name: W", "Name: V", "Name: X");
  }
}
