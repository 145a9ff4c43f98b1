package dev.podpath.shell.lab;

import dev.podpath.shell.lab.Word.Quoting;
import dev.podpath.shell.lab.Word.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Splits a lab file into commands by the shell's rules that LAB.md keeps: {@code #} comments
 * outside quotes, a trailing {@code \} continues the line, single and double quotes, {@code ;}
 * between commands, {@code < FILE}, {@code > FILE}, {@code >> FILE} and here-documents ({@code
 * <<TAG}, {@code <<'TAG'}, {@code <<-TAG}). Pipes and background jobs are refused.
 */
public final class LabLexer {

  private final String text;
  private final String file;
  private final int n;
  private int i;
  private int line = 1;
  private final List<Draft> commands = new ArrayList<>();
  private final List<PendingHeredoc> pending = new ArrayList<>();
  private @Nullable Draft draft; // the command being built
  private @Nullable List<Segment> segments; // the word being built
  private @Nullable String redirect; // a redirection waiting for its file name

  /** A command while it is lexed; its here-document body arrives after its line. */
  private static final class Draft {
    final int line;
    final List<Word> words = new ArrayList<>();
    Optional<String> heredoc = Optional.empty();
    boolean heredocExpands = true;
    boolean heredocPending;
    Optional<Word> stdinFile = Optional.empty();
    Optional<Command.Redirect> output = Optional.empty();

    Draft(int line) {
      this.line = line;
    }

    Command build() {
      return new Command(line, words, heredoc, heredocExpands, stdinFile, output);
    }
  }

  private record PendingHeredoc(
      Draft command, String tag, boolean stripTabs, boolean expands, int line) {}

  private LabLexer(String text, String file) {
    this.text = text;
    this.file = file;
    this.n = text.length();
  }

  /** The commands of a lab file; throws {@link LabException} naming the line of a syntax error. */
  public static List<Command> lex(String text, String file) {
    return new LabLexer(text, file).run();
  }

  private List<Command> run() {
    while (i < n) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> {
          endCommand();
          line++;
          i++;
          if (!pending.isEmpty()) {
            readHeredocBodies();
          }
        }
        case ' ', '\t', '\r' -> {
          endWord();
          i++;
        }
        case '#' -> {
          if (segments == null) {
            int j = text.indexOf('\n', i);
            i = j < 0 ? n : j;
          } else {
            add(Quoting.BARE, "#");
            i++;
          }
        }
        case '\\' -> backslash();
        case '\'' -> singleQuote();
        case '"' -> doubleQuote();
        case ';' -> {
          endCommand();
          i++;
        }
        case '<', '>' -> redirection(c);
        case '|', '&', '`' ->
            throw error("shell operator '" + c + "' is not supported (one command per line)");
        default -> {
          add(Quoting.BARE, String.valueOf(c));
          i++;
        }
      }
    }
    endCommand();
    if (!pending.isEmpty()) {
      PendingHeredoc p = pending.get(0);
      throw new LabException(file, p.line(), "here-document has no closing '" + p.tag() + "' line");
    }
    return commands.stream().map(Draft::build).toList();
  }

  private LabException error(String message) {
    return new LabException(file, line, message);
  }

  private void backslash() {
    if (i + 1 < n && text.charAt(i + 1) == '\n') {
      line++;
      i += 2;
    } else if (i + 2 < n && text.charAt(i + 1) == '\r' && text.charAt(i + 2) == '\n') {
      line++;
      i += 3;
    } else if (i + 1 < n) {
      add(Quoting.LITERAL, String.valueOf(text.charAt(i + 1)));
      i += 2;
    } else {
      i++;
    }
  }

  private void singleQuote() {
    int j = text.indexOf('\'', i + 1);
    if (j < 0) {
      throw error("unterminated single quote");
    }
    add(Quoting.LITERAL, text.substring(i + 1, j));
    line += count(text, '\n', i, j);
    i = j + 1;
  }

  private void doubleQuote() {
    int start = line;
    add(Quoting.DOUBLE, "");
    int j = i + 1;
    var buf = new StringBuilder();
    while (true) {
      if (j >= n) {
        throw new LabException(file, start, "unterminated double quote");
      }
      char d = text.charAt(j);
      if (d == '"') {
        break;
      }
      if (d == '\\' && j + 1 < n && "$`\"\\\n".indexOf(text.charAt(j + 1)) >= 0) {
        if (text.charAt(j + 1) == '\n') {
          line++;
        } else {
          add(Quoting.DOUBLE, buf.toString());
          buf.setLength(0);
          add(Quoting.LITERAL, String.valueOf(text.charAt(j + 1)));
        }
        j += 2;
        continue;
      }
      if (d == '\n') {
        line++;
      }
      buf.append(d);
      j++;
    }
    add(Quoting.DOUBLE, buf.toString());
    i = j + 1;
  }

  private void redirection(char c) {
    List<Segment> segs = segments;
    if (segs != null
        && segs.stream().allMatch(s -> s.quoting() == Quoting.BARE)
        && joined(segs).chars().allMatch(Character::isDigit)) {
      throw error("file-descriptor redirections (like 2>) are not supported");
    }
    endWord();
    startCommand();
    if (redirect != null) {
      throw error("unexpected '" + c + "'");
    }
    if (c == '>') {
      boolean append = text.startsWith(">>", i);
      i += append ? 2 : 1;
      if (i < n && text.charAt(i) == '&') {
        throw error("'>&' is not supported");
      }
      redirect = append ? ">>" : ">";
      return;
    }
    if (text.startsWith("<<<", i)) {
      throw error("here-strings (<<<) are not supported");
    }
    if (!text.startsWith("<<", i)) {
      redirect = "<";
      i++;
      return;
    }
    i += 2;
    boolean strip = i < n && text.charAt(i) == '-';
    if (strip) {
      i++;
    }
    while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    var tag = new StringBuilder();
    boolean quoted = false;
    while (i < n && " \t\r\n;<>|&".indexOf(text.charAt(i)) < 0) {
      char t = text.charAt(i);
      if (t == '\'' || t == '"') {
        int k = text.indexOf(t, i + 1);
        if (k < 0) {
          throw error("unterminated quote in here-document tag");
        }
        tag.append(text, i + 1, k);
        quoted = true;
        i = k + 1;
      } else if (t == '\\' && i + 1 < n) {
        tag.append(text.charAt(i + 1));
        quoted = true;
        i += 2;
      } else {
        tag.append(t);
        i++;
      }
    }
    if (tag.isEmpty()) {
      throw error("missing here-document tag after <<");
    }
    Draft d = currentDraft();
    if (d.heredocPending) {
      throw error("only one here-document per command");
    }
    d.heredocPending = true;
    pending.add(new PendingHeredoc(d, tag.toString(), strip, !quoted, line));
  }

  private void readHeredocBodies() {
    for (PendingHeredoc p : pending) {
      var body = new StringBuilder();
      while (true) {
        if (i >= n) {
          throw new LabException(
              file,
              p.line(),
              "here-document from line " + p.line() + " has no closing '" + p.tag() + "' line");
        }
        int j = text.indexOf('\n', i);
        if (j < 0) {
          j = n;
        }
        String ln = text.substring(i, j);
        i = j + 1;
        line++;
        if (ln.endsWith("\r")) {
          ln = ln.substring(0, ln.length() - 1);
        }
        if (p.stripTabs()) {
          ln = ln.replaceFirst("^\t+", "");
        }
        if (ln.equals(p.tag())) {
          break;
        }
        body.append(ln).append('\n');
      }
      p.command().heredoc = Optional.of(body.toString());
      p.command().heredocExpands = p.expands();
    }
    pending.clear();
  }

  private void startCommand() {
    if (draft == null) {
      draft = new Draft(line);
    }
  }

  private Draft currentDraft() {
    startCommand();
    return java.util.Objects.requireNonNull(draft);
  }

  private void add(Quoting quoting, String s) {
    startCommand();
    List<Segment> segs = segments;
    if (segs == null) {
      segs = new ArrayList<>();
      segments = segs;
    }
    int last = segs.size() - 1;
    if (last >= 0 && segs.get(last).quoting() == quoting) {
      segs.set(last, new Segment(quoting, segs.get(last).text() + s));
    } else {
      segs.add(new Segment(quoting, s));
    }
  }

  private void endWord() {
    List<Segment> segs = segments;
    if (segs == null) {
      return;
    }
    Word w = new Word(segs);
    segments = null;
    Draft d = currentDraft();
    if (redirect != null) {
      switch (redirect) {
        case "<" -> d.stdinFile = Optional.of(w);
        case ">" -> d.output = Optional.of(new Command.Redirect(w, false));
        default -> d.output = Optional.of(new Command.Redirect(w, true));
      }
      redirect = null;
    } else {
      d.words.add(w);
    }
  }

  private void endCommand() {
    endWord();
    if (redirect != null) {
      throw error("missing file name after '" + redirect + "'");
    }
    Draft d = draft;
    if (d != null) {
      if (d.words.isEmpty()) {
        throw new LabException(file, d.line, "redirection without a command");
      }
      commands.add(d);
    }
    draft = null;
  }

  private static String joined(List<Segment> segs) {
    var sb = new StringBuilder();
    segs.forEach(s -> sb.append(s.text()));
    return sb.toString();
  }

  private static int count(String s, char c, int from, int to) {
    int k = 0;
    for (int j = from; j < to; j++) {
      if (s.charAt(j) == c) {
        k++;
      }
    }
    return k;
  }
}
