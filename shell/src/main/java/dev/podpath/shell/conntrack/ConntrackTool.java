package dev.podpath.shell.conntrack;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.conntrack.ConnStatus;
import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code conntrack -L|-D [filters]}, {@code -F}, {@code -C}, as conntrack-tools 1.4.7 prints them:
 * entries in its line format on standard output, the summary ({@code N flow entries have been
 * shown.}) on standard error. Filters: {@code -p}, {@code -s}, {@code -d}, {@code -r}, {@code -q},
 * {@code --sport}, {@code --dport}, {@code -f ipv4|ipv6}, {@code --src-nat}, {@code --dst-nat}.
 */
public final class ConntrackTool {

  static final String VERSION = "conntrack v1.4.7 (conntrack-tools): ";

  private static final java.util.Set<String> WITH_VALUE =
      java.util.Set.of(
          "-p",
          "--proto",
          "--protonum",
          "-s",
          "--src",
          "--orig-src",
          "-d",
          "--dst",
          "--orig-dst",
          "-r",
          "--reply-src",
          "-q",
          "--reply-dst",
          "--sport",
          "--orig-port-src",
          "--dport",
          "--orig-port-dst",
          "-f",
          "--family",
          "-m",
          "--mark",
          "-u",
          "--status",
          "-t",
          "--timeout");

  private ConntrackTool() {}

  private enum Mode {
    LIST,
    DELETE,
    FLUSH,
    COUNT
  }

  public static ToolResult run(NetNamespace ns, List<String> argv) {
    Optional<Mode> mode = Optional.empty();
    Predicate<ConntrackRecord> filter = r -> true;
    IpFamily family = IpFamily.IPV4;
    List<String> args = argv.subList(1, argv.size());
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      Optional<Mode> m =
          switch (a) {
            case "-L", "--dump" -> Optional.of(Mode.LIST);
            case "-D", "--delete" -> Optional.of(Mode.DELETE);
            case "-F", "--flush" -> Optional.of(Mode.FLUSH);
            case "-C", "--count" -> Optional.of(Mode.COUNT);
            default -> Optional.empty();
          };
      if (m.isPresent()) {
        if (mode.isPresent()) {
          return usage("Invalid parameters");
        }
        if (i + 1 < args.size()
            && (args.get(i + 1).equals("conntrack") || args.get(i + 1).equals("expect"))) {
          i++;
        }
        mode = m;
        continue;
      }
      if (a.equals("--src-nat") || a.equals("-n")) {
        filter = filter.and(r -> r.status().contains(ConnStatus.SRC_NAT));
        continue;
      }
      if (a.equals("--dst-nat") || a.equals("-g")) {
        filter = filter.and(r -> r.status().contains(ConnStatus.DST_NAT));
        continue;
      }
      if (a.equals("-o") || a.equals("--output")) {
        i++;
        continue;
      }
      if (!WITH_VALUE.contains(a)) {
        return usage("unknown option `" + a + "'");
      }
      if (i + 1 >= args.size()) {
        return usage("option `" + a + "' requires an argument");
      }
      String v = args.get(++i);
      switch (a) {
        case "-p", "--proto", "--protonum" -> {
          Optional<Protocol> p = Protocol.find(v);
          if (p.isEmpty()) {
            return usage("proto `" + v + "' not found");
          }
          filter = filter.and(r -> r.protocol() == p.get());
        }
        case "-s", "--src", "--orig-src" -> {
          IpAddress x = address(v).orElse(null);
          if (x == null) {
            return usage("Invalid IP address `" + v + "'");
          }
          filter = filter.and(r -> r.original().src().equals(x));
        }
        case "-d", "--dst", "--orig-dst" -> {
          IpAddress x = address(v).orElse(null);
          if (x == null) {
            return usage("Invalid IP address `" + v + "'");
          }
          filter = filter.and(r -> r.original().dst().equals(x));
        }
        case "-r", "--reply-src" -> {
          IpAddress x = address(v).orElse(null);
          if (x == null) {
            return usage("Invalid IP address `" + v + "'");
          }
          filter = filter.and(r -> r.reply().src().equals(x));
        }
        case "-q", "--reply-dst" -> {
          IpAddress x = address(v).orElse(null);
          if (x == null) {
            return usage("Invalid IP address `" + v + "'");
          }
          filter = filter.and(r -> r.reply().dst().equals(x));
        }
        case "--sport", "--orig-port-src" -> {
          int p = port(v);
          filter = filter.and(r -> r.protocol().hasPorts() && r.original().srcPort() == p);
        }
        case "--dport", "--orig-port-dst" -> {
          int p = port(v);
          filter = filter.and(r -> r.protocol().hasPorts() && r.original().dstPort() == p);
        }
        case "-f", "--family" -> {
          if (v.equals("ipv4")) {
            family = IpFamily.IPV4;
          } else if (v.equals("ipv6")) {
            family = IpFamily.IPV6;
          } else {
            return usage("bad parameter `" + v + "'");
          }
        }
        case "-m", "--mark", "-u", "--status", "-t", "--timeout" -> {}
        default -> {
          return usage("unknown option `" + a + "'");
        }
      }
    }
    if (mode.isEmpty()) {
      return usage("no command specified");
    }
    IpFamily fam = family;
    Predicate<ConntrackRecord> which = filter.and(r -> r.family() == fam);
    var table = ns.netfilter().conntrack();
    List<ConntrackRecord> matching = new ArrayList<>(table.list().stream().filter(which).toList());
    return switch (mode.get()) {
      case LIST ->
          new ToolResult(
              0, lines(matching), VERSION + matching.size() + " flow entries have been shown.\n");
      case COUNT -> ToolResult.ok(table.list().size() + "\n");
      case FLUSH -> {
        table.flush();
        yield new ToolResult(0, "", VERSION + "connection tracking table has been emptied.\n");
      }
      case DELETE -> {
        var ids = matching.stream().map(ConntrackRecord::id).toList();
        table.delete(r -> ids.contains(r.id()));
        yield new ToolResult(
            matching.isEmpty() ? 1 : 0,
            lines(matching),
            VERSION + matching.size() + " flow entries have been deleted.\n");
      }
    };
  }

  private static String lines(List<ConntrackRecord> records) {
    var sb = new StringBuilder();
    records.forEach(r -> sb.append(r).append('\n'));
    return sb.toString();
  }

  private static Optional<IpAddress> address(String v) {
    try {
      return Optional.of(IpAddress.parse(v));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int port(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ToolResult usage(String message) {
    return new ToolResult(
        2,
        "",
        VERSION + message + "\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
  }
}
