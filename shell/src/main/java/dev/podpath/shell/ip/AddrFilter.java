package dev.podpath.shell.ip;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.route.InterfaceAddress;
import dev.podpath.kernel.route.Scope;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The selectors of {@code ip address show} ({@code dev}, {@code up}, {@code scope}, {@code label},
 * {@code to}, {@code master}, {@code type}) as iproute2's {@code ipaddr_filter} applies them: a
 * link is listed when one of its addresses passes every selector, or when it has no address at all
 * and no family is selected ({@code -4}, {@code -6} or {@code to PREFIX}, which selects its
 * family). With {@code label} only the address lines are printed, without the link's header.
 */
record AddrFilter(
    Optional<String> dev,
    boolean onlyUp,
    Optional<Scope> scope,
    Optional<Pattern> label,
    Optional<IpPrefix> to,
    Optional<String> master,
    Optional<String> type,
    Optional<IpFamily> family) {

  /** Reads the selectors after {@code ip address show}. */
  static AddrFilter parse(Args args, IpOptions options, NetNamespace ns) {
    Optional<String> dev = Optional.empty();
    boolean onlyUp = false;
    Optional<Scope> scope = Optional.empty();
    Optional<Pattern> label = Optional.empty();
    Optional<IpPrefix> to = Optional.empty();
    Optional<String> master = Optional.empty();
    Optional<String> type = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "dev" -> dev = Optional.of(args.value());
        case "up" -> onlyUp = true;
        case "scope" -> {
          String s = args.value();
          if (!s.equals("all")) {
            scope =
                Optional.of(
                    Scope.find(s)
                        .orElseThrow(
                            () ->
                                new IpError(
                                    255,
                                    "Error: argument \""
                                        + s
                                        + "\" is wrong: invalid \"scope\"\n")));
          }
        }
        case "label" -> label = Optional.of(glob(args.value()));
        case "to" -> to = Optional.of(IpContext.prefix(args.value(), false));
        case "master" -> {
          String m = args.value();
          if (ns.findLink(m).isEmpty()) {
            throw new IpError(
                255, "Error: argument \"" + m + "\" is wrong: Device does not exist\n");
          }
          master = Optional.of(m);
        }
        case "type" -> type = Optional.of(args.value());
        case "primary", "secondary", "permanent", "dynamic", "tentative", "deprecated" -> {}
        default -> dev = Optional.of(w);
      }
    }
    Optional<IpFamily> toFamily = to.map(IpPrefix::family);
    Optional<IpFamily> family = options.family().or(() -> toFamily);
    return new AddrFilter(dev, onlyUp, scope, label, to, master, type, family);
  }

  /** Whether the link itself passes {@code up}, {@code master} and {@code type}. */
  boolean selects(NetNamespace ns, Link l) {
    if (onlyUp && !l.adminUp()) {
      return false;
    }
    if (master.isPresent()) {
      Optional<Link> b = ns.findLink(master.get());
      if (b.isEmpty() || l.master().map(x -> x != b.get()).orElse(true)) {
        return false;
      }
    }
    return type.map(
            t ->
                l.kind().ipName().equals(t) || (t.equals("bridge_slave") && l.master().isPresent()))
        .orElse(true);
  }

  /** Whether an address passes the family, {@code scope}, {@code label} and {@code to}. */
  boolean selects(InterfaceAddress a) {
    return family.map(f -> f == a.family()).orElse(true)
        && scope.map(s -> s == a.scope()).orElse(true)
        && label.map(p -> p.matcher(a.label()).matches()).orElse(true)
        && to.map(p -> p.family() == a.family() && p.contains(a.address())).orElse(true);
  }

  /** Whether a link with these addresses is listed at all. */
  boolean lists(List<InterfaceAddress> all) {
    return all.stream().anyMatch(this::selects) || (all.isEmpty() && family.isEmpty());
  }

  /** Whether the link's header is printed (not with {@code label}). */
  boolean withHeader() {
    return label.isEmpty();
  }

  /** fnmatch(3) without flags: {@code *}, {@code ?} and bracket expressions. */
  static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      int close = c == '[' ? g.indexOf(']', i + 2) : -1;
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (close > 0) {
        String body = g.substring(i + 1, close);
        re.append('[');
        if (body.startsWith("!")) {
          re.append('^');
          body = body.substring(1);
        }
        for (char b : body.toCharArray()) {
          re.append(Character.isLetterOrDigit(b) || b == '-' ? "" : "\\").append(b);
        }
        re.append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
