package dev.podpath.kube.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

class SelectorParserProperties {

  @Property
  void canonicalFormParsesToTheSameSelector(
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String key,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String v1,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String v2) {
    Selector s = LabelSelectors.parse(key + " in (" + v1 + "," + v2 + "),!x" + key);
    assertThat(LabelSelectors.parse(s.toString())).isEqualTo(s);
  }

  @Property
  void equalitySelectsExactlyThatValue(
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String key,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String value,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String other) {
    Selector s = LabelSelectors.parse(key + "=" + value);
    assertThat(s.matches(Map.of(key, value))).isTrue();
    assertThat(s.matches(Map.of(key, other))).isEqualTo(other.equals(value));
    assertThat(s.matches(Map.of())).isFalse();
  }
}
