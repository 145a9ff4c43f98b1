package dev.podpath.shell.lab;

import dev.podpath.shell.ToolResult;
import dev.podpath.shell.lab.LabWorld.Place;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one lab file on a fresh world: each command prints what the real tool prints, each probe a
 * summary line, each failed expectation {@code FILE:LINE: expected …, got …}. In JSON mode only one
 * object per probe and per failed expectation is printed, one per line.
 *
 * <p>Exit codes: 0 every expectation held, 1 some failed, 2 the lab could not run (syntax error,
 * unknown command, failed setup), with the file and line on standard error.
 */
public final class LabRun {

  /** How a run reports. */
  public enum Format {
    TEXT,
    JSON
  }

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int CANNOT_RUN = 2;

  private final String file;
  private final Path directory;
  private final LabWorld world;
  private final PrintStream out;
  private final PrintStream err;
  private final Format format;
  private final Variables variables = new Variables();
  private final Commands commands;
  private String currentHost = "host";
  private int line;
  private Optional<ToolResult> last = Optional.empty();
  private Optional<ProbeReport> lastProbe = Optional.empty();
  private int expectations;
  private int failures;

  public LabRun(
      String file,
      Path directory,
      LabWorld world,
      PrintStream out,
      PrintStream err,
      Format format) {
    this.file = file;
    this.directory = directory;
    this.world = world;
    this.out = out;
    this.err = err;
    this.format = format;
    this.commands = new Commands(this);
  }

  /** Reads and runs a lab file; returns the exit code. */
  public static int runFile(
      Path path, LabWorld world, PrintStream out, PrintStream err, Format format) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      err.println(path + ": cannot read: " + e.getMessage());
      return CANNOT_RUN;
    }
    Path dir = path.toAbsolutePath().getParent();
    return new LabRun(path.toString(), dir == null ? Path.of(".") : dir, world, out, err, format)
        .run(text);
  }

  /** Runs the text of a lab; returns the exit code. */
  public int run(String text) {
    try {
      List<Command> cmds = LabLexer.lex(text, file);
      Prescan.check(cmds, file, world);
      if (!world.hasHost("host")) {
        world.createHost("host");
      }
      for (Command c : cmds) {
        execute(c);
      }
    } catch (LabException e) {
      err.println(e.getMessage());
      return CANNOT_RUN;
    }
    if (format == Format.TEXT) {
      out.println(
          failures > 0
              ? file + ": " + failures + " of " + expectations + " expectations failed"
              : file + ": all " + expectations + " expectations hold");
    }
    out.flush();
    return failures > 0 ? FAILED : OK;
  }

  // ---- state shared with Commands ---------------------------------------------------------

  String file() {
    return file;
  }

  int line() {
    return line;
  }

  LabWorld world() {
    return world;
  }

  String currentHost() {
    return currentHost;
  }

  void currentHost(String host) {
    currentHost = host;
  }

  Format format() {
    return format;
  }

  PrintStream out() {
    return out;
  }

  Optional<ProbeReport> lastProbe() {
    return lastProbe;
  }

  void lastProbe(ProbeReport report) {
    lastProbe = Optional.of(report);
  }

  LabException error(String message) {
    return new LabException(file, line, message);
  }

  /**
   * Resolves a place as a lab line names it: {@code NS} (a namespace of the current host), a host's
   * name (its root namespace), {@code HOST/NS}, or {@code NS} of another host when only one host
   * has a namespace of that name.
   */
  Place resolve(String spec) {
    Optional<Place> own;
    try {
      own = world.place(spec);
    } catch (LabWorld.SetupException e) {
      throw error(e.getMessage());
    }
    if (own.isPresent()) {
      return own.get();
    }
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      String h = spec.substring(0, slash);
      String ns = spec.substring(slash + 1);
      if (!world.hasHost(h)) {
        throw error("unknown host '" + h + "'");
      }
      if (ns.isEmpty()) {
        return Place.root(h);
      }
      if (!world.hasNamespace(h, ns)) {
        throw error("host " + h + " has no network namespace '" + ns + "'");
      }
      return new Place(h, Optional.of(ns));
    }
    if (world.hasNamespace(currentHost, spec)) {
      return new Place(currentHost, Optional.of(spec));
    }
    if (world.hasHost(spec)) {
      return Place.root(spec);
    }
    List<String> owners =
        world.hostNames().stream().filter(h -> world.hasNamespace(h, spec)).toList();
    if (owners.size() == 1) {
      return new Place(owners.get(0), Optional.of(spec));
    }
    if (owners.size() > 1) {
      throw error(
          "network namespace '"
              + spec
              + "' is on several hosts ("
              + String.join(", ", owners)
              + "): name it HOST/"
              + spec);
    }
    throw error(
        "no network namespace '"
            + spec
            + "' on host "
            + currentHost
            + " (and no host of that name)");
  }

  // ---- one command ----------------------------------------------------------------------------

  private void execute(Command cmd) {
    line = cmd.line();
    List<Word> words = Prescan.stripPrompt(cmd.words());
    if (words.isEmpty()) {
      return;
    }
    try {
      if (Variables.isAssignment(words.get(0))) {
        if (words.stream().allMatch(Variables::isAssignment)
            && cmd.heredoc().isEmpty()
            && cmd.output().isEmpty()
            && cmd.stdinFile().isEmpty()) {
          words.forEach(variables::assign);
          return;
        }
        throw error("'NAME=value command' is not supported; set the variable on its own line");
      }
      List<String> args = new ArrayList<>();
      for (Word w : words) {
        args.addAll(variables.expand(w, true));
      }
      if (args.isEmpty()) {
        return;
      }
      if (args.get(0).equals("expect")) {
        expect(args.subList(1, args.size()));
        return;
      }
      Optional<String> stdin = stdin(cmd);
      ToolResult r;
      if (cmd.output().isPresent()) {
        Command.Redirect redirect = cmd.output().get();
        String path = String.join(" ", variables.expand(redirect.file(), true));
        r = commands.redirect(args, stdin, path, redirect.append());
      } else {
        r = commands.dispatch(args, Place.root(currentHost), stdin, true);
      }
      last = Optional.of(r);
      if (format == Format.TEXT) {
        print(r.stdout());
        print(r.stderr());
      }
    } catch (Variables.Undefined e) {
      throw error(e.getMessage());
    } catch (LabException e) {
      throw e;
    } catch (RuntimeException e) {
      // a bug of the emulation must not look like a pass or a crash: report it at its line
      throw error(
          "podpath could not run this command ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); please report it");
    }
  }

  private Optional<String> stdin(Command cmd) {
    if (cmd.heredoc().isPresent()) {
      String body = cmd.heredoc().get();
      return Optional.of(cmd.heredocExpands() ? variables.expandText(body) : body);
    }
    if (cmd.stdinFile().isPresent()) {
      String name = String.join(" ", variables.expand(cmd.stdinFile().get(), true));
      Path p = directory.resolve(name);
      try {
        return Optional.of(Files.readString(p));
      } catch (IOException e) {
        throw error("cannot read " + name + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  void print(String text) {
    if (format == Format.TEXT && !text.isEmpty()) {
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
  }

  /** A place named the world's way ({@code pod/NS/NAME}) as its label; other names unchanged. */
  private String placeLabel(String spec) {
    return world.place(spec).map(Place::label).orElse(spec);
  }

  private void expect(List<String> args) {
    expectations++;
    Expectation e;
    try {
      e = Expectation.parse(args);
      e =
          switch (e) {
            case Expectation.Delivered d when d.to().isPresent() ->
                new Expectation.Delivered(d.to().map(this::placeLabel), d.port(), d.seenFrom());
            case Expectation.Share sh ->
                new Expectation.Share(placeLabel(sh.to()), sh.percent(), sh.tolerance());
            default -> e;
          };
    } catch (IllegalArgumentException | LabWorld.SetupException ex) {
      throw error(ex.getMessage());
    }
    Expectation.Verdict v = e.judge(lastProbe, last);
    if (v.ok()) {
      return;
    }
    failures++;
    String text = String.join(" ", args);
    String message = file + ":" + line + ": expected " + text + ", got " + v.got();
    if (format == Format.JSON) {
      out.println(Json.failure(file, line, text, v.got(), message));
    } else {
      out.println(message);
    }
  }
}
