package dev.podpath.kube.select;

import dev.podpath.kube.validate.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The lexer and recursive-descent parser of {@code k8s.io/apimachinery/pkg/labels}. */
final class SelectorParser {

  private enum Tok {
    ERROR,
    END,
    CLOSE_PAR,
    COMMA,
    NOT,
    DOUBLE_EQUALS,
    EQUALS,
    GREATER,
    IDENT,
    IN,
    LESS,
    NOT_EQUALS,
    NOT_IN,
    OPEN_PAR
  }

  private record Item(Tok tok, String lit) {}

  private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

  private final String text;
  private int pos;
  private final List<Item> items = new ArrayList<>();
  private int at;

  SelectorParser(String text) {
    this.text = text;
  }

  Selector parse() {
    scan();
    List<Requirement> reqs = new ArrayList<>();
    while (true) {
      Item next = peek(true);
      switch (next.tok) {
        case IDENT, NOT -> {
          try {
            reqs.add(requirement());
          } catch (SelectorParseException e) {
            throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
          }
          Item sep = take(true);
          switch (sep.tok) {
            case END -> {
              return new Selector.All(reqs);
            }
            case COMMA -> {
              Item after = peek(true);
              if (after.tok != Tok.IDENT && after.tok != Tok.NOT) {
                throw new SelectorParseException(
                    "found '" + after.lit + "', expected: identifier after ','");
              }
            }
            default ->
                throw new SelectorParseException(
                    "found '" + sep.lit + "', expected: ',' or 'end of string'");
          }
        }
        case END -> {
          return new Selector.All(reqs);
        }
        default ->
            throw new SelectorParseException(
                "found '" + next.lit + "', expected: !, identifier, or 'end of string'");
      }
    }
  }

  private Requirement requirement() {
    boolean negated = false;
    Item key = take(true);
    if (key.tok == Tok.NOT) {
      negated = true;
      key = take(true);
    }
    if (key.tok != Tok.IDENT) {
      throw new SelectorParseException("found '" + key.lit + "', expected: identifier");
    }
    List<String> keyErrors = Names.labelKey(key.lit);
    if (!keyErrors.isEmpty()) {
      throw new SelectorParseException(
          "<nil>: Invalid value: \"" + key.lit + "\": " + String.join("; ", keyErrors));
    }
    Tok after = peek(true).tok;
    if (after == Tok.END || after == Tok.COMMA) {
      return new Requirement(
          key.lit, negated ? Operator.DOES_NOT_EXIST : Operator.EXISTS, List.of());
    }
    Item opItem = take(false);
    Operator op =
        switch (opItem.tok) {
          case IN -> Operator.IN;
          case EQUALS -> Operator.EQUALS;
          case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
          case GREATER -> Operator.GREATER_THAN;
          case LESS -> Operator.LESS_THAN;
          case NOT_IN -> Operator.NOT_IN;
          case NOT_EQUALS -> Operator.NOT_EQUALS;
          default ->
              throw new SelectorParseException(
                  "found '" + opItem.lit + "', expected: " + BINARY_OPERATORS);
        };
    List<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? setValues() : exact();
    if (op == Operator.GREATER_THAN || op == Operator.LESS_THAN) {
      try {
        Long.parseLong(values.getFirst());
      } catch (NumberFormatException e) {
        throw new SelectorParseException(
            "values[0]: Invalid value: \""
                + values.getFirst()
                + "\": for 'Gt', 'Lt' operators, the value must be an integer");
      }
    }
    for (int i = 0; i < values.size(); i++) {
      List<String> errs = Names.labelValue(values.get(i));
      if (!errs.isEmpty()) {
        throw new SelectorParseException(
            "values["
                + i
                + "]["
                + key.lit
                + "]: Invalid value: \""
                + values.get(i)
                + "\": "
                + String.join("; ", errs));
      }
    }
    return new Requirement(key.lit, op, values);
  }

  private List<String> setValues() {
    Item open = take(true);
    if (open.tok != Tok.OPEN_PAR) {
      throw new SelectorParseException("found '" + open.lit + "' expected: '('");
    }
    Item first = peek(true);
    switch (first.tok) {
      case IDENT, COMMA -> {
        TreeSet<String> set = identifiers();
        Item close = take(true);
        if (close.tok != Tok.CLOSE_PAR) {
          throw new SelectorParseException("found '" + first.lit + "', expected: ')'");
        }
        return List.copyOf(set);
      }
      case CLOSE_PAR -> {
        take(true);
        return List.of("");
      }
      default ->
          throw new SelectorParseException(
              "found '" + first.lit + "', expected: ',', ')' or identifier");
    }
  }

  private TreeSet<String> identifiers() {
    TreeSet<String> set = new TreeSet<>();
    while (true) {
      Item item = take(true);
      switch (item.tok) {
        case IDENT -> {
          set.add(item.lit);
          Item next = peek(true);
          switch (next.tok) {
            case COMMA -> {
              // another value follows
            }
            case CLOSE_PAR -> {
              return set;
            }
            default ->
                throw new SelectorParseException("found '" + next.lit + "', expected: ',' or ')'");
          }
        }
        case COMMA -> {
          if (set.isEmpty()) {
            set.add("");
          }
          Tok next = peek(true).tok;
          if (next == Tok.CLOSE_PAR) {
            set.add("");
            return set;
          }
          if (next == Tok.COMMA) {
            set.add("");
          }
        }
        default ->
            throw new SelectorParseException(
                "found '" + item.lit + "', expected: ',', or identifier");
      }
    }
  }

  private List<String> exact() {
    Tok next = peek(true).tok;
    if (next == Tok.END || next == Tok.COMMA) {
      return List.of("");
    }
    Item value = take(true);
    if (value.tok == Tok.IDENT) {
      return List.of(value.lit);
    }
    throw new SelectorParseException("found '" + value.lit + "', expected: identifier");
  }

  private Item peek(boolean values) {
    return asValue(items.get(at), values);
  }

  private Item take(boolean values) {
    return asValue(items.get(at++), values);
  }

  private static Item asValue(Item item, boolean values) {
    if (values && (item.tok == Tok.IN || item.tok == Tok.NOT_IN)) {
      return new Item(Tok.IDENT, item.lit);
    }
    return item;
  }

  // ---- lexer

  private void scan() {
    while (true) {
      Item item = lex();
      items.add(item);
      if (item.tok == Tok.END) {
        return;
      }
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSpecial(char c) {
    return "=!(),><".indexOf(c) >= 0;
  }

  private static Tok symbol(String s) {
    return switch (s) {
      case ")" -> Tok.CLOSE_PAR;
      case "," -> Tok.COMMA;
      case "!" -> Tok.NOT;
      case "==" -> Tok.DOUBLE_EQUALS;
      case "=" -> Tok.EQUALS;
      case ">" -> Tok.GREATER;
      case "in" -> Tok.IN;
      case "<" -> Tok.LESS;
      case "!=" -> Tok.NOT_EQUALS;
      case "notin" -> Tok.NOT_IN;
      case "(" -> Tok.OPEN_PAR;
      default -> Tok.ERROR;
    };
  }

  private Item lex() {
    while (pos < text.length() && isSpace(text.charAt(pos))) {
      pos++;
    }
    if (pos >= text.length()) {
      return new Item(Tok.END, "");
    }
    char c = text.charAt(pos);
    if (isSpecial(c)) {
      return lexSymbol();
    }
    int start = pos;
    while (pos < text.length() && !isSpecial(text.charAt(pos)) && !isSpace(text.charAt(pos))) {
      pos++;
    }
    String word = text.substring(start, pos);
    Tok tok = symbol(word);
    return new Item(tok == Tok.IN || tok == Tok.NOT_IN ? tok : Tok.IDENT, word);
  }

  private Item lexSymbol() {
    StringBuilder buffer = new StringBuilder();
    Item last = null;
    while (pos < text.length() && isSpecial(text.charAt(pos))) {
      buffer.append(text.charAt(pos++));
      Tok tok = symbol(buffer.toString());
      if (tok != Tok.ERROR) {
        last = new Item(tok, buffer.toString());
      } else if (last != null) {
        pos--;
        break;
      }
    }
    if (last == null) {
      return new Item(Tok.ERROR, "error expected: keyword found '" + buffer + "'");
    }
    return last;
  }
}
