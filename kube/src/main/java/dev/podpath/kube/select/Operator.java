package dev.podpath.kube.select;

/** The operators of a label requirement, with their text in the string syntax. */
public enum Operator {
  IN("in"),
  NOT_IN("notin"),
  EQUALS("="),
  DOUBLE_EQUALS("=="),
  NOT_EQUALS("!="),
  EXISTS("exists"),
  DOES_NOT_EXIST("!"),
  GREATER_THAN("gt"),
  LESS_THAN("lt");

  private final String text;

  Operator(String text) {
    this.text = text;
  }

  /** The operator as selection.Operator spells it. */
  public String text() {
    return text;
  }
}
