package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.Counters;
import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.netfilter.rule.Target;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.shell.iptables.Command.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads an iptables command line the way iptables 1.8.9's {@code do_parse} does: options in order,
 * {@code !} before the option it inverts, {@code -m} loading a match whose options then become
 * known, {@code -p tcp} loading the tcp match on the first option nobody knows, the checks after
 * the loop in the real order, and the real error messages.
 */
final class CommandLine {

  private final IpFamily family;
  private final String defaultTable;
  private final Getopt getopt;
  private final List<GlobalOptions.Opt> options = new ArrayList<>();
  private @Nullable Op op;
  private boolean zeroToo;
  private String table;
  private @Nullable String chain;
  private int ruleNumber;
  private String argument = "";
  private Optional<Counters> counters = Optional.empty();
  private @Nullable String sources;
  private @Nullable String destinations;
  private boolean invSource;
  private boolean invDestination;
  private Optional<Protocol> protocol = Optional.empty();
  private int protocolNumber;
  private boolean protocolGiven;
  private boolean fragment;
  private boolean invFragment;
  private boolean invProtocol;
  private boolean protocolUsed;
  private @Nullable Match inInterface;
  private @Nullable Match outInterface;
  private final List<Extension<Match>> matches = new ArrayList<>();
  private final List<List<Getopt.Spec>> merged = new ArrayList<>();
  private @Nullable Extension<Target> targetExtension;
  private @Nullable String jumpTo;
  private boolean isGoto;

  private final Predicate<String> setExists;

  private CommandLine(
      IpFamily family, String defaultTable, List<String> argv, Predicate<String> setExists) {
    this.family = family;
    this.setExists = setExists;
    this.defaultTable = defaultTable;
    this.table = defaultTable;
    this.getopt = new Getopt(argv);
  }

  /**
   * Parses {@code argv} (without the program name); {@code table} is the default for {@code -t}.
   */
  static Command parse(
      IpFamily family, String table, List<String> argv, Predicate<String> setExists) {
    return new CommandLine(family, table, argv, setExists).run();
  }

  /**
   * The option table as libxtables merges it: the global options, then each extension's options,
   * the most recently merged first. A second {@code -m NAME} of a loaded match is a clone and
   * merges nothing, so the options stay with the first load's place.
   */
  private List<Getopt.Spec> table() {
    if (mergedTable != null && mergedTableSize == merged.size()) {
      return mergedTable;
    }
    List<Getopt.Spec> t = new ArrayList<>(GlobalOptions.GLOBAL);
    for (int i = merged.size() - 1; i >= 0; i--) {
      t.addAll(merged.get(i));
    }
    mergedTable = t;
    mergedTableSize = merged.size();
    return t;
  }

  /** {@link #table()} as last built, for as long as nothing new is merged (only appends happen). */
  private @Nullable List<Getopt.Spec> mergedTable;

  private int mergedTableSize = -1;

  private void load(Extension<Match> m) {
    if (matches.stream().noneMatch(x -> x.name().equals(m.name()))) {
      List<Getopt.Spec> specs = new ArrayList<>();
      for (Getopt.Spec s : m.specs()) {
        specs.add(new Getopt.Spec(s.longName(), s.shortName(), s.arg(), m.name()));
      }
      merged.add(specs);
    }
    matches.add(m);
  }

  /**
   * The match an option of {@code name} goes to: the first of that name not yet completed (a match
   * is completed once another of the same name is loaded after it).
   */
  private Extension<Match> owner(String name) {
    Extension<Match> last = null;
    for (Extension<Match> m : matches) {
      if (m.name().equals(name)) {
        last = m;
      }
    }
    return java.util.Objects.requireNonNull(last, name);
  }

  private Command run() {
    boolean invert = false;
    while (!getopt.done()) {
      long position = getopt.position();
      Getopt.Token token = getopt.next(table());
      switch (token) {
        case Getopt.Positional p -> {
          if (p.text().equals("!")) {
            if (invert) {
              throw IptablesError.parameter("multiple consecutive ! not allowed");
            }
            invert = true;
            continue;
          }
          throw IptablesError.bare("Bad argument `" + p.text() + "'");
        }
        case Getopt.MissingArg m ->
            throw IptablesError.parameter("option \"" + m.shown() + "\" requires an argument");
        case Getopt.Unknown u -> {
          if (protocol.isPresent() && !protocolUsed) {
            protocolUsed = true;
            Optional<Extension<Match>> m = Extensions.protocolMatch(protocol.get(), family);
            if (m.isPresent()) {
              load(m.get());
              getopt.reset(position);
              continue;
            }
          }
          throw IptablesError.parameter("unknown option \"" + u.shown() + "\"");
        }
        case Getopt.Opt o -> {
          if (o.spec().owner() instanceof Extension<?> ext) {
            ext.accept(o.spec().longName(), o.arg(), invert, context(), getopt);
          } else if (o.spec().owner() instanceof String matchName) {
            owner(matchName).accept(o.spec().longName(), o.arg(), invert, context(), getopt);
          } else {
            global(o, invert);
          }
        }
      }
      invert = false;
    }
    return finish(invert);
  }

  private Extension.Context context() {
    TableName t = TableName.find(table).orElse(TableName.FILTER);
    return new Extension.Context(
        family, t, protocol, protocolGiven, protocolNumber, invProtocol, setExists);
  }

  private void add(Op newOp, boolean invert, Op... compatible) {
    if (invert) {
      throw IptablesError.parameter("unexpected '!' flag");
    }
    if (op != null) {
      boolean ok = false;
      for (Op c : compatible) {
        ok |= c == op;
      }
      if (!ok) {
        throw IptablesError.parameter("Cannot use -" + newOp.letter + " with -" + op.letter);
      }
      zeroToo = true;
      if (newOp == Op.ZERO || newOp == Op.ZERO_NUM) {
        return;
      }
    }
    op = newOp;
  }

  private void set(GlobalOptions.Opt o, boolean invert, boolean invertible) {
    if (options.contains(o)) {
      throw IptablesError.parameter("multiple -" + o.letter + " flags not allowed");
    }
    options.add(o);
    if (invert && !invertible) {
      throw IptablesError.parameter("cannot have ! before -" + o.letter);
    }
  }

  private void optionalChain(Getopt.Opt o) {
    if (o.arg() != null) {
      chain = o.arg();
    } else {
      getopt.takeValue().ifPresent(c -> chain = c);
    }
  }

  private void global(Getopt.Opt o, boolean invert) {
    String arg = o.arg();
    switch (o.spec().longName()) {
      case "append" -> {
        add(Op.APPEND, invert);
        chain = arg;
      }
      case "check" -> {
        add(Op.CHECK, invert);
        chain = arg;
      }
      case "delete" -> {
        add(Op.DELETE, invert);
        chain = arg;
        getopt
            .takeValue()
            .ifPresent(
                n -> {
                  ruleNumber = GlobalOptions.ruleNumber(n);
                  op = Op.DELETE_NUM;
                });
      }
      case "replace" -> {
        add(Op.REPLACE, invert);
        chain = arg;
        ruleNumber =
            GlobalOptions.ruleNumber(
                getopt
                    .takeValue()
                    .orElseThrow(() -> IptablesError.parameter("-R requires a rule number")));
      }
      case "insert" -> {
        add(Op.INSERT, invert);
        chain = arg;
        ruleNumber = getopt.takeValue().map(GlobalOptions::ruleNumber).orElse(1);
      }
      case "list", "list-rules" -> {
        add(o.spec().shortName() == 'L' ? Op.LIST : Op.LIST_RULES, invert, Op.ZERO, Op.ZERO_NUM);
        optionalChain(o);
        getopt.takeValue().ifPresent(n -> ruleNumber = GlobalOptions.ruleNumber(n));
      }
      case "flush" -> {
        add(Op.FLUSH, invert);
        optionalChain(o);
      }
      case "zero" -> {
        add(Op.ZERO, invert, Op.LIST, Op.LIST_RULES);
        optionalChain(o);
        getopt
            .takeValue()
            .ifPresent(
                n -> {
                  ruleNumber = GlobalOptions.ruleNumber(n);
                  if (op == Op.ZERO) {
                    op = Op.ZERO_NUM;
                  }
                });
      }
      case "new-chain" -> {
        GlobalOptions.validChainName(arg);
        add(Op.NEW_CHAIN, invert);
        chain = arg;
      }
      case "delete-chain" -> {
        add(Op.DELETE_CHAIN, invert);
        optionalChain(o);
      }
      case "rename-chain" -> {
        add(Op.RENAME_CHAIN, invert);
        chain = arg;
        argument =
            getopt
                .takeValue()
                .orElseThrow(
                    () -> IptablesError.parameter("-E requires old-chain-name and new-chain-name"));
        GlobalOptions.validChainName(argument);
      }
      case "policy" -> {
        add(Op.SET_POLICY, invert);
        chain = arg;
        argument =
            getopt
                .takeValue()
                .orElseThrow(() -> IptablesError.parameter("-P requires a chain and a policy"));
      }
      case "source", "src" -> {
        set(GlobalOptions.Opt.SOURCE, invert, true);
        sources = arg;
        invSource = invert;
      }
      case "destination", "dst" -> {
        set(GlobalOptions.Opt.DESTINATION, invert, true);
        destinations = arg;
        invDestination = invert;
      }
      case "protocol" -> {
        set(GlobalOptions.Opt.PROTOCOL, invert, true);
        protocolNumber = Protocols.parse(arg.toLowerCase(java.util.Locale.ROOT));
        protocol = Protocol.byNumber(protocolNumber);
        protocolGiven = true;
        invProtocol = invert;
        if (protocolNumber == 0 && invert) {
          throw IptablesError.parameter("rule would never match protocol");
        }
      }
      case "in-interface", "out-interface" -> {
        boolean in = o.spec().shortName() == 'i';
        set(in ? GlobalOptions.Opt.VIA_IN : GlobalOptions.Opt.VIA_OUT, invert, true);
        if (arg.isEmpty()) {
          throw IptablesError.parameter("Empty interface is likely to be undesired");
        }
        String name = Values.iface(arg);
        if (in) {
          inInterface = new Match.InInterface(name, invert);
        } else {
          outInterface = new Match.OutInterface(name, invert);
        }
      }
      case "jump", "goto" -> {
        set(GlobalOptions.Opt.JUMP, invert, false);
        isGoto = o.spec().shortName() == 'g';
        jumpTo = arg;
        if (!isGoto) {
          targetExtension = Extensions.target(arg).orElse(null);
          if (targetExtension != null) {
            merged.add(targetExtension.specs());
          }
        }
      }
      case "table" -> {
        if (invert) {
          throw IptablesError.parameter("unexpected ! flag before --table");
        }
        table = arg;
      }
      case "match" -> {
        if (invert) {
          throw IptablesError.parameter("unexpected ! flag before --match");
        }
        load(
            Extensions.match(arg, family)
                .orElseThrow(
                    () ->
                        IptablesError.parameter(
                            "Couldn't load match `" + arg + "':No such file or directory\n")));
      }
      case "numeric" -> set(GlobalOptions.Opt.NUMERIC, invert, false);
      case "verbose" -> {
        if (!options.contains(GlobalOptions.Opt.VERBOSE)) {
          set(GlobalOptions.Opt.VERBOSE, invert, false);
        }
      }
      case "exact" -> set(GlobalOptions.Opt.EXPANDED, invert, false);
      case "line-numbers" -> set(GlobalOptions.Opt.LINE_NUMBERS, invert, false);
      case "fragments" -> {
        if (family == IpFamily.IPV6) {
          throw IptablesError.parameter("`-f' is not supported in IPv6, use -m frag instead");
        }
        set(GlobalOptions.Opt.FRAGMENT, invert, true);
        fragment = true;
        invFragment = invert;
      }
      case "set-counters" -> {
        set(GlobalOptions.Opt.COUNTERS, invert, false);
        String bytes =
            getopt
                .takeValue()
                .orElseThrow(() -> IptablesError.parameter("-c requires packet and byte counter"));
        counters =
            Optional.of(
                new Counters(
                    GlobalOptions.counter(arg, "packet"), GlobalOptions.counter(bytes, "byte")));
      }
      case "wait", "wait-interval" -> {
        if (arg == null) {
          getopt.takeValue().ifPresent(w -> {});
        }
      }
      case "modprobe", "ipv4", "ipv6" -> {}
      default -> throw IptablesError.parameter("option \"" + o.shown() + "\" is not supported");
    }
  }

  private Command finish(boolean invert) {
    if (table.equals("nat")) {
      if ((op == Op.SET_POLICY && argument.equals("DROP")) || "DROP".equals(jumpTo)) {
        throw IptablesError.parameter(
            "\nThe \"nat\" table is not intended for filtering, "
                + "the use of DROP is therefore inhibited.\n\n");
      }
    }
    Extension.Context ctx = context();
    List<Match> built = new ArrayList<>();
    for (Extension<Match> m : matches) {
      built.add(m.build(ctx));
    }
    Target target = target(ctx);
    if (op == null) {
      throw IptablesError.parameter("no command specified");
    }
    if (invert) {
      throw IptablesError.parameter("nothing appropriate following !");
    }
    List<Match> base = new ArrayList<>();
    if (inInterface != null) {
      base.add(inInterface);
    }
    if (outInterface != null) {
      base.add(outInterface);
    }
    if (protocolNumber != 0) {
      base.add(new Match.Proto(protocolNumber, invProtocol));
    }
    if (fragment) {
      base.add(new Match.Fragment(invFragment));
    }
    return RuleSpecs.build(
        new RuleSpecs.Parsed(
            family,
            op,
            zeroToo,
            table,
            Optional.ofNullable(chain),
            ruleNumber,
            argument,
            counters,
            options.stream().map(Enum::name).toList(),
            options.stream().map(o -> o.letter).toList(),
            Optional.ofNullable(sources),
            invSource,
            Optional.ofNullable(destinations),
            invDestination,
            base,
            built,
            target,
            jumpChain()));
  }

  private Target target(Extension.Context ctx) {
    if (jumpTo == null) {
      return new Target.None();
    }
    if (isGoto) {
      return new Target.Goto(jumpTo);
    }
    return switch (jumpTo) {
      case "ACCEPT" -> new Target.Accept();
      case "DROP" -> new Target.Drop();
      case "RETURN" -> new Target.Return();
      default -> targetExtension != null ? targetExtension.build(ctx) : new Target.Jump(jumpTo);
    };
  }

  private Optional<String> jumpChain() {
    return jumpTo != null
            && (isGoto || targetExtension == null)
            && !List.of("ACCEPT", "DROP", "RETURN").contains(jumpTo)
        ? Optional.of(jumpTo)
        : Optional.empty();
  }
}
