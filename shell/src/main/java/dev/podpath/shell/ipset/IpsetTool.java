package dev.podpath.shell.ipset;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.IpSetException;
import dev.podpath.kernel.ipset.IpSets;
import dev.podpath.kernel.ipset.SetListing;
import dev.podpath.kernel.ipset.SetSpec;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ipset} v7.17 over a namespace's ip sets: {@code create}, {@code add}, {@code del}, {@code
 * test}, {@code destroy}, {@code flush}, {@code rename}, {@code swap}, {@code list} ({@code -o
 * save}, {@code -t}, {@code -n}, {@code -s}), {@code save} and {@code restore} (standard input),
 * the one-letter and legacy {@code -N/-A/-D/-T/-X/-F/-E/-W/-L/-S/-R} forms, and {@code
 * -exist}/{@code -!}. Messages read like ipset's ({@code ipset v7.17: The set with the given name
 * does not exist}); a refused command changes nothing. Members are listed sorted (as {@code
 * -sorted}).
 */
public final class IpsetTool {

  static final String PREFIX = "ipset v7.17: ";

  private IpsetTool() {}

  /** A refused command: its exit code and message. */
  private static final class Failure extends Exception {
    final int code;

    Failure(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  public static ToolResult run(NetNamespace ns, List<String> argv, Optional<String> stdin) {
    List<String> words = new ArrayList<>();
    boolean exist = false;
    String output = "plain";
    boolean terse = false;
    boolean namesOnly = false;
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      switch (a) {
        case "-exist", "-!" -> exist = true;
        case "-sorted", "-s", "-quiet", "-q", "-resolve", "-r" -> {}
        case "-terse", "-t" -> terse = true;
        case "-name", "-n" -> namesOnly = true;
        case "-output", "-o" -> {
          if (i + 1 >= argv.size()) {
            return ToolResult.error(1, PREFIX + "Syntax error: missing mandatory argument to -o");
          }
          output = argv.get(++i);
        }
        default -> words.add(a);
      }
    }
    if (words.isEmpty()) {
      return ToolResult.error(
          2, PREFIX + "No command specified.\nTry `ipset help' for more information.");
    }
    var sets = ns.netfilter().ipSets();
    var snapshot = sets.snapshot();
    try {
      String out =
          switch (command(words.get(0))) {
            case "create" -> create(sets, words, exist);
            case "add" -> member(sets, words, exist, true);
            case "del" -> member(sets, words, exist, false);
            case "test" -> test(sets, words);
            case "destroy" -> each(sets, words, true);
            case "flush" -> each(sets, words, false);
            case "rename" -> {
              sets.rename(arg(words, 1), arg(words, 2));
              yield "";
            }
            case "swap" -> {
              sets.swap(arg(words, 1), arg(words, 2));
              yield "";
            }
            case "list" ->
                output.equals("save")
                    ? save(sets, words)
                    : ListText.list(listings(sets, words), terse, namesOnly);
            case "save" -> save(sets, words);
            case "restore" -> restore(ns, stdin.orElse(""), exist);
            default ->
                throw new Failure(
                    2,
                    PREFIX
                        + "No command specified: unknown argument "
                        + words.get(0)
                        + "\nTry `ipset help' for more information.");
          };
      if (command(words.get(0)).equals("test")) {
        return new ToolResult(0, "", out); // ipset writes the answer on standard error
      }
      return ToolResult.ok(out);
    } catch (Failure f) {
      sets.restore(snapshot);
      return ToolResult.error(f.code, f.getMessage());
    } catch (IpSetException e) {
      sets.restore(snapshot);
      return ToolResult.error(1, PREFIX + e.getMessage());
    } catch (IllegalArgumentException e) {
      sets.restore(snapshot);
      return ToolResult.error(1, PREFIX + "Syntax error: " + e.getMessage());
    }
  }

  private static String command(String word) {
    return switch (word) {
      case "create", "n", "-N" -> "create";
      case "add", "a", "-A" -> "add";
      case "del", "d", "-D" -> "del";
      case "test", "t", "-T" -> "test";
      case "destroy", "x", "-X" -> "destroy";
      case "flush", "f", "-F" -> "flush";
      case "rename", "e", "-E" -> "rename";
      case "swap", "w", "-W" -> "swap";
      case "list", "l", "-L" -> "list";
      case "save", "s", "-S" -> "save";
      case "restore", "r", "-R" -> "restore";
      default -> word;
    };
  }

  private static String arg(List<String> words, int i) throws Failure {
    if (i >= words.size()) {
      throw new Failure(1, PREFIX + "Syntax error: missing mandatory argument to " + words.get(0));
    }
    return words.get(i);
  }

  private static String create(IpSets sets, List<String> w, boolean exist) throws Failure {
    String name = arg(w, 1);
    String typeName = arg(w, 2);
    SetType type =
        SetType.find(typeName)
            .orElseThrow(
                () ->
                    new Failure(
                        1, PREFIX + "Syntax error: typename '" + typeName + "' is unknown"));
    IpFamily family = IpFamily.IPV4;
    int hashSize = 1024;
    int maxElem = 65536;
    Optional<Long> timeout = Optional.empty();
    Optional<PortRange> range = Optional.empty();
    boolean comment = false;
    for (int i = 3; i < w.size(); i++) {
      String opt = w.get(i);
      switch (opt) {
        case "comment" -> comment = true;
        case "family" -> {
          String f = arg(w, ++i);
          family =
              switch (f) {
                case "inet", "ipv4" -> IpFamily.IPV4;
                case "inet6", "ipv6" -> IpFamily.IPV6;
                default -> throw new Failure(1, PREFIX + "Syntax error: unknown family " + f);
              };
        }
        case "hashsize" -> hashSize = number(arg(w, ++i), opt);
        case "maxelem" -> maxElem = number(arg(w, ++i), opt);
        case "timeout" -> timeout = Optional.of((long) number(arg(w, ++i), opt));
        case "bucketsize", "initval" -> arg(w, ++i); // the kernel picks its own
        case "range" -> {
          String r = arg(w, ++i);
          int dash = r.indexOf('-');
          if (dash < 0) {
            throw new Failure(1, PREFIX + "Syntax error: bitmap:port needs a range FROM-TO");
          }
          range =
              Optional.of(
                  new PortRange(
                      number(r.substring(0, dash), opt), number(r.substring(dash + 1), opt)));
        }
        default -> throw new Failure(1, PREFIX + "Syntax error: Unknown argument: `" + opt + "'");
      }
    }
    if (type == SetType.BITMAP_PORT && range.isEmpty()) {
      throw new Failure(1, PREFIX + "Syntax error: Argument `range' is required");
    }
    sets.create(
        new SetSpec(name, type, family, Math.max(64, hashSize), maxElem, timeout, range, comment),
        exist);
    return "";
  }

  private static int number(String text, String option) throws Failure {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Failure(1, PREFIX + "Syntax error: '" + text + "' is invalid as number");
    }
  }

  private static SetListing require(IpSets sets, String name) throws Failure {
    return sets.list(name)
        .orElseThrow(() -> new Failure(1, PREFIX + "The set with the given name does not exist"));
  }

  private static Element element(IpSets sets, String set, String entry) throws Failure {
    var spec = require(sets, set).spec();
    try {
      return EntryParser.parse(spec.type(), spec.family(), entry);
    } catch (EntryParser.BadEntry e) {
      throw new Failure(1, PREFIX + e.getMessage());
    }
  }

  private static String member(IpSets sets, List<String> w, boolean exist, boolean add)
      throws Failure {
    String set = arg(w, 1);
    Element e = element(sets, set, arg(w, 2));
    Optional<Long> timeout = Optional.empty();
    Optional<String> comment = Optional.empty();
    for (int i = 3; i < w.size(); i++) {
      switch (w.get(i)) {
        case "timeout" -> timeout = Optional.of((long) number(arg(w, ++i), "timeout"));
        case "comment" -> {
          if (!add) {
            throw usage("Unknown argument: `comment'");
          }
          if (i + 1 >= w.size()) {
            throw usage("Missing mandatory argument of option `comment'");
          }
          comment = Optional.of(comment(w.get(++i)));
        }
        default ->
            throw new Failure(1, PREFIX + "Syntax error: Unknown argument: `" + w.get(i) + "'");
      }
    }
    if (add) {
      sets.add(set, e, timeout, comment, exist);
    } else {
      sets.delete(set, e, exist);
    }
    return "";
  }

  /** A member's comment as ipset takes it: any text without a double quote (empty: none). */
  private static String comment(String text) throws Failure {
    if (text.indexOf('"') >= 0) {
      throw new Failure(1, PREFIX + "Syntax error: \" character is not permitted in comments");
    }
    return text;
  }

  /** A usage error: exit code 2 and ipset's hint. */
  private static Failure usage(String message) {
    return new Failure(2, PREFIX + message + "\nTry `ipset help' for more information.");
  }

  private static String test(IpSets sets, List<String> w) throws Failure {
    String set = arg(w, 1);
    String entry = arg(w, 2);
    if (w.size() > 3) {
      throw usage("Unknown argument: `" + w.get(3) + "'");
    }
    if (sets.test(set, element(sets, set, entry))) {
      return "Warning: " + entry + " is in set " + set + ".\n";
    }
    throw new Failure(1, entry + " is NOT in set " + set + ".");
  }

  private static String each(IpSets sets, List<String> w, boolean destroy) throws Failure {
    List<String> names =
        w.size() > 1 ? List.of(w.get(1)) : sets.list().stream().map(l -> l.spec().name()).toList();
    for (String n : names) {
      require(sets, n);
      if (destroy) {
        sets.destroy(n);
      } else {
        sets.flush(Optional.of(n));
      }
    }
    return "";
  }

  private static List<SetListing> listings(IpSets sets, List<String> w) throws Failure {
    return w.size() > 1 ? List.of(require(sets, w.get(1))) : sets.list();
  }

  private static String save(IpSets sets, List<String> w) throws Failure {
    var sb = new StringBuilder();
    for (SetListing l : listings(sets, w)) {
      sb.append(l.save());
    }
    return sb.toString();
  }

  /**
   * {@code ipset restore}: one command a line ({@code create …}, {@code add …}, …); all or none.
   */
  private static String restore(NetNamespace ns, String text, boolean exist) throws Failure {
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.equals("COMMIT")) {
        continue;
      }
      List<String> argv = new ArrayList<>();
      argv.add("ipset");
      argv.addAll(restoreWords(l));
      if (exist) {
        argv.add("-exist");
      }
      var r = runOne(ns, argv);
      if (r.exitCode() != 0) {
        throw new Failure(
            1, r.stderr().strip().replace(PREFIX, PREFIX + "Error in line " + n + ": "));
      }
    }
    return "";
  }

  /**
   * The words of a restore line: separated by blanks, a double-quoted word (a comment, as {@code
   * ipset save} writes it) kept whole without its quotes.
   */
  static List<String> restoreWords(String line) {
    List<String> out = new ArrayList<>();
    var word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (!quoted && Character.isWhitespace(c)) {
        if (any) {
          out.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(word.toString());
    }
    return out;
  }

  private static ToolResult runOne(NetNamespace ns, List<String> argv) {
    String cmd = argv.size() > 1 ? command(argv.get(1)) : "";
    if (cmd.equals("restore")) {
      return ToolResult.error(1, PREFIX + "restore cannot be nested");
    }
    return run(ns, argv, Optional.empty());
  }
}
