package dev.podpath.kube.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorsTest {

  private static final Map<String, String> WEB_PROD =
      Map.of("tier", "web", "env", "prod", "track", "stable");

  @Test
  void theIssueExampleParsesAndMatches() {
    Selector s = LabelSelectors.parse("tier=web,env in (prod,qa),!canary,track notin (beta)");
    assertThat(s.matches(WEB_PROD)).isTrue();
    assertThat(s.matches(Map.of("tier", "web", "env", "prod", "canary", "x"))).isFalse();
    assertThat(s.matches(Map.of("tier", "web", "env", "dev"))).isFalse();
    assertThat(s.matches(Map.of("tier", "web", "env", "qa", "track", "beta"))).isFalse();
    assertThat(s).hasToString("!canary,env in (prod,qa),tier=web,track notin (beta)");
  }

  @Test
  void emptyStringSelectsEverything() {
    assertThat(LabelSelectors.parse("").isEverything()).isTrue();
    assertThat(LabelSelectors.parse("  ").matches(Map.of())).isTrue();
  }

  @Test
  void existenceAndEqualityForms() {
    assertThat(LabelSelectors.parse("tier").matches(WEB_PROD)).isTrue();
    assertThat(LabelSelectors.parse("tier==web").matches(WEB_PROD)).isTrue();
    assertThat(LabelSelectors.parse("tier!=web").matches(WEB_PROD)).isFalse();
    assertThat(LabelSelectors.parse("missing!=x").matches(WEB_PROD)).isTrue();
    assertThat(LabelSelectors.parse("x in (foo,,baz),y,z notin ()").toString())
        .isEqualTo("x in (,baz,foo),y,z notin ()");
    assertThat(LabelSelectors.parse("a=").matches(Map.of("a", ""))).isTrue();
  }

  @Test
  void inAndNotinAreValuesInsideParentheses() {
    Selector s = LabelSelectors.parse("value in (in,notin)");
    assertThat(s.matches(Map.of("value", "notin"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tier=web,|found '', expected: identifier after ','",
        "tier=web env=x|found 'env', expected: ',' or 'end of string'",
        "=web|found '=', expected: !, identifier, or 'end of string'",
        "tier in web|unable to parse requirement: found 'web' expected: '('",
        "tier in (a b)|unable to parse requirement: found 'b', expected: ',' or ')'",
        "tier ~ web|unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt",
        "!|unable to parse requirement: found '', expected: identifier",
      })
  void parseErrorsReadLikeTheApiMachinery(String text, String message) {
    assertThatThrownBy(() -> LabelSelectors.parse(text))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage(message);
  }

  @Test
  void invalidKeysAndValuesAreRejectedWithValidationText() {
    assertThatThrownBy(() -> LabelSelectors.parse("a/b/c=x"))
        .hasMessageStartingWith(
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\":"
                + " a qualified name must consist of");
    assertThatThrownBy(() -> LabelSelectors.parse("tier=-web"))
        .hasMessageStartingWith(
            "unable to parse requirement: values[0][tier]: Invalid value:"
                + " \"-web\": a valid label must be an empty string or consist of");
  }

  @Test
  void nullLabelSelectorSelectsNothingEmptySelectsEverything() {
    assertThat(LabelSelectors.matches((LabelSelector) null, WEB_PROD)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelector(), WEB_PROD)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelector(), Map.of())).isTrue();
  }

  @Test
  void mapSelectorEmptyOrNullSelectsEverything() {
    assertThat(LabelSelectors.matches((Map<String, String>) null, WEB_PROD)).isTrue();
    assertThat(LabelSelectors.matches(Map.of(), WEB_PROD)).isTrue();
    assertThat(LabelSelectors.matches(Map.of("tier", "db"), WEB_PROD)).isFalse();
  }

  @Test
  void matchExpressionsFollowTheApi() {
    LabelSelector sel =
        new LabelSelectorBuilder()
            .addToMatchLabels("tier", "web")
            .addNewMatchExpression()
            .withKey("env")
            .withOperator("In")
            .withValues("prod", "qa")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("canary")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("track")
            .withOperator("NotIn")
            .withValues("beta")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("env")
            .withOperator("Exists")
            .endMatchExpression()
            .build();
    assertThat(LabelSelectors.matches(sel, WEB_PROD)).isTrue();
    assertThat(LabelSelectors.matches(sel, Map.of("tier", "web", "env", "dev"))).isFalse();
    assertThat(LabelSelectors.fromLabelSelector(sel).toString())
        .isEqualTo("!canary,env in (prod,qa),env,tier=web,track notin (beta)");
  }

  @Test
  void badOperatorIsAnError() {
    LabelSelector sel =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("a")
            .withOperator("Equals")
            .withValues("b")
            .endMatchExpression()
            .build();
    assertThatThrownBy(() -> LabelSelectors.fromLabelSelector(sel))
        .hasMessage("\"Equals\" is not a valid label selector operator");
  }

  @Test
  void fieldSelectorsParseAndMatch() {
    FieldSelector f = FieldSelector.parse("spec.nodeName=worker,status.phase!=Failed");
    assertThat(f.matches(Map.of("spec.nodeName", "worker", "status.phase", "Running"))).isTrue();
    assertThat(f.matches(Map.of("spec.nodeName", "worker", "status.phase", "Failed"))).isFalse();
    assertThat(FieldSelector.parse("metadata.name==a").matches(Map.of("metadata.name", "a")))
        .isTrue();
    assertThatThrownBy(() -> FieldSelector.parse("foo"))
        .hasMessage("invalid selector: 'foo'; can't understand 'foo'");
  }
}
