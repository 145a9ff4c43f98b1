package dev.podpath.shell.lab;

import java.util.List;
import java.util.Optional;

/**
 * One command of a lab file, as lexed: its first line, its words, and its redirections.
 *
 * @param heredoc the here-document's body, if any
 * @param heredocExpands whether variables expand in the body (the tag was not quoted)
 * @param stdinFile {@code < FILE}
 * @param output {@code > FILE} or {@code >> FILE}
 */
public record Command(
    int line,
    List<Word> words,
    Optional<String> heredoc,
    boolean heredocExpands,
    Optional<Word> stdinFile,
    Optional<Redirect> output) {

  /** An output redirection. */
  public record Redirect(Word file, boolean append) {}

  public Command {
    words = List.copyOf(words);
  }
}
