package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabLexerTest {

  static List<String> raw(Command c) {
    return c.words().stream().map(Word::raw).toList();
  }

  @Test
  void commentsBlankLinesAndQuotesAreAShellsOnes() {
    var cmds =
        LabLexer.lex(
            """
        # a comment

        iptables -A INPUT -j LOG --log-prefix "ssh denied: "   # trailing comment
        echo 'a # not a comment' "b"c
        """,
            "t.lab");
    assertThat(cmds).hasSize(2);
    assertThat(cmds.get(0).line()).isEqualTo(3);
    assertThat(raw(cmds.get(0)))
        .containsExactly("iptables", "-A", "INPUT", "-j", "LOG", "--log-prefix", "ssh denied: ");
    assertThat(raw(cmds.get(1))).containsExactly("echo", "a # not a comment", "bc");
  }

  @Test
  void aTrailingBackslashContinuesTheLineAndTheCommandKeepsItsFirstLine() {
    var cmds = LabLexer.lex("ip link add a \\\n  type veth \\\n  peer name b\nip link\n", "t.lab");
    assertThat(raw(cmds.get(0)))
        .containsExactly("ip", "link", "add", "a", "type", "veth", "peer", "name", "b");
    assertThat(cmds.get(0).line()).isEqualTo(1);
    assertThat(cmds.get(1).line()).isEqualTo(4);
  }

  @Test
  void hereDocumentsFeedStandardInputAndAQuotedTagKeepsVariables() {
    var cmds =
        LabLexer.lex(
            """
        iptables-restore --noflush <<EOF
        *filter
        -A INPUT -s $SRC -j DROP
        COMMIT
        EOF
        cat <<'END'
        $X
        END
        probe tcp to 10.0.0.1:80
        """,
            "t.lab");
    assertThat(cmds).hasSize(3);
    assertThat(cmds.get(0).heredoc()).contains("*filter\n-A INPUT -s $SRC -j DROP\nCOMMIT\n");
    assertThat(cmds.get(0).heredocExpands()).isTrue();
    assertThat(cmds.get(1).heredocExpands()).isFalse();
    assertThat(cmds.get(2).line()).isEqualTo(9);
  }

  @Test
  void redirectionsAreRecorded() {
    var c = LabLexer.lex("echo 1 > /proc/sys/net/ipv4/ip_forward\n", "t.lab").get(0);
    assertThat(raw(c)).containsExactly("echo", "1");
    assertThat(c.output()).isPresent();
    assertThat(c.output().get().file().raw()).isEqualTo("/proc/sys/net/ipv4/ip_forward");
  }

  @Test
  void syntaxErrorsNameTheFileAndLine() {
    assertThatThrownBy(() -> LabLexer.lex("host a\necho 'oops\n", "bad.lab"))
        .isInstanceOf(LabException.class)
        .hasMessage("bad.lab:2: unterminated single quote");
    assertThatThrownBy(() -> LabLexer.lex("ip link | grep eth0\n", "bad.lab"))
        .hasMessage("bad.lab:1: shell operator '|' is not supported (one command per line)");
    assertThatThrownBy(() -> LabLexer.lex("iptables-restore <<EOF\n*filter\n", "bad.lab"))
        .hasMessageContaining("bad.lab:1: here-document from line 1 has no closing 'EOF' line");
  }

  @Test
  void variablesExpandAndSplitLikeAShell() {
    var v = new Variables();
    v.assign(LabLexer.lex("NET=\"10.0.0.0/24 dev eth0\"\n", "t").get(0).words().get(0));
    var words = LabLexer.lex("ip route add $NET \"${NET}\" '$NET'\n", "t").get(0).words();
    assertThat(words.stream().flatMap(w -> v.expand(w, true).stream()).toList())
        .containsExactly(
            "ip", "route", "add", "10.0.0.0/24", "dev", "eth0", "10.0.0.0/24 dev eth0", "$NET");
  }
}
