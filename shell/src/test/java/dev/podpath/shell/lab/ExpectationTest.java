package dev.podpath.shell.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.net.trace.Fate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectationTest {

  static Expectation parse(String line) {
    return Expectation.parse(List.of(line.split(" ")));
  }

  @Test
  void everyFormOfLabMdParses() {
    assertThat(parse("delivered to node/app port 80 seen-from 10.0.0.2"))
        .isEqualTo(
            new Expectation.Delivered(
                Optional.of("node/app"), Optional.of(80), Optional.of("10.0.0.2")));
    assertThat(parse("dropped")).isEqualTo(new Expectation.Ended(Fate.DROPPED));
    assertThat(parse("unreachable")).isEqualTo(new Expectation.Ended(Fate.UNREACHABLE));
    assertThat(parse("share backend1 50% ± 10%"))
        .isEqualTo(new Expectation.Share("backend1", 50, Optional.of(10.0)));
    assertThat(parse("share b 33.3% +- 2"))
        .isEqualTo(new Expectation.Share("b", 33.3, Optional.of(2.0)));
    assertThat(parse("share b 25%")).isEqualTo(new Expectation.Share("b", 25, Optional.empty()));
    assertThat(parse("log ssh denied")).isEqualTo(new Expectation.Log("ssh denied"));
    assertThat(parse("hit nat/KUBE-SERVICES")).isEqualTo(new Expectation.Hit("nat/KUBE-SERVICES"));
    assertThat(parse("unanswered")).isEqualTo(new Expectation.Answered(false));
    assertThat(parse("output -P INPUT DROP")).isEqualTo(new Expectation.Output("-P INPUT DROP"));
    assertThat(Expectation.parse(List.of("error"))).isEqualTo(new Expectation.Error(""));
  }

  @Test
  void mistakesAreExplained() {
    assertThatThrownBy(() -> parse("share b fifty"))
        .hasMessage("expect share: expected 'share [HOST/]NS P% [± T%]'");
    assertThatThrownBy(() -> parse("delivered port 99999"))
        .hasMessageContaining("bad port '99999'");
    assertThatThrownBy(() -> parse("dropped now")).hasMessage("expect dropped: unexpected 'now'");
    assertThatThrownBy(() -> parse("hit")).hasMessage("expect hit: expected 'hit [TABLE/]CHAIN'");
  }

  @Test
  void placesMatchAsLabsNameThem() {
    assertThat(Places.matches("node/app", "app")).isTrue();
    assertThat(Places.matches("node/app", "node/app")).isTrue();
    assertThat(Places.matches("node", "node")).isTrue();
    assertThat(Places.matches("node/app", "node")).isFalse();
    assertThat(Places.matches("other/app", "node/app")).isFalse();
    assertThat(Places.port("[fd00::1]:80")).contains(80);
    assertThat(Places.hostPart("10.0.0.1:80")).isEqualTo("10.0.0.1");
    assertThat(Places.port("fd00::1")).isEmpty();
  }
}
