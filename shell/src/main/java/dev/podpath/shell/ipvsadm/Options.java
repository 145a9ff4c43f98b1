package dev.podpath.shell.ipvsadm;

import dev.podpath.kernel.ipvs.ForwardMethod;
import dev.podpath.kernel.ipvs.ServiceKey;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import dev.podpath.shell.ipvsadm.IpvsadmTool.Command;
import dev.podpath.shell.ipvsadm.IpvsadmTool.Usage;
import java.util.List;
import java.util.Optional;

/** One parsed {@code ipvsadm} command line. */
record Options(
    Command command,
    Optional<ServiceKey> serviceKey,
    Optional<String> scheduler,
    Optional<Integer> persistence,
    int netmask,
    Optional<IpAddress> serverAddress,
    Optional<Integer> serverPortGiven,
    Optional<ForwardMethod> methodOption,
    Optional<Integer> weight,
    boolean connections,
    boolean stats,
    boolean rate,
    boolean numeric,
    boolean nosort,
    boolean timeout,
    boolean daemon,
    List<Integer> timeoutValues) {

  /** ipvsadm's {@code MAX_TIMEOUT}: 31 days, the largest value {@code --set} takes. */
  static final int MAX_TIMEOUT = 86400 * 31;

  ServiceKey service() {
    return serviceKey.orElseThrow(() -> missing("service-address"));
  }

  boolean serviceGiven() {
    return serviceKey.isPresent();
  }

  IpAddress server() {
    return serverAddress.orElseThrow(() -> missing("real-server"));
  }

  /** ipvsadm's {@code generic_opt_check} for a compulsory option the command lacks. */
  private Usage missing(String option) {
    return new Usage(
        "You need to supply the '" + option + "' option for the '" + commandName() + "' command");
  }

  /** The command as ipvsadm's {@code cmdnames} spells it. */
  private String commandName() {
    return switch (command) {
      case ADD_SERVICE -> "add-service";
      case EDIT_SERVICE -> "edit-service";
      case DELETE_SERVICE -> "delete-service";
      case CLEAR -> "flush";
      case ADD_SERVER -> "add-server";
      case EDIT_SERVER -> "edit-server";
      case DELETE_SERVER -> "delete-server";
      case LIST -> "list";
      case SAVE -> "save";
      case RESTORE -> "restore";
      case ZERO -> "zero";
      case SET -> "set";
    };
  }

  int serverPort() {
    return serverPortGiven.orElseGet(() -> service() instanceof ServiceKey.Inet i ? i.port() : 0);
  }

  ForwardMethod method() {
    return methodOption.orElse(ForwardMethod.GATE);
  }

  boolean methodGiven() {
    return methodOption.isPresent();
  }

  static Options parse(List<String> args) {
    Command cmd = null;
    Optional<ServiceKey> key = Optional.empty();
    Optional<String> sched = Optional.empty();
    Optional<Integer> persistence = Optional.empty();
    int netmask = 32;
    Optional<IpAddress> server = Optional.empty();
    Optional<Integer> serverPort = Optional.empty();
    Optional<ForwardMethod> method = Optional.empty();
    Optional<Integer> weight = Optional.empty();
    boolean conns = false;
    boolean stats = false;
    boolean rate = false;
    boolean numeric = false;
    boolean nosort = false;
    boolean timeout = false;
    boolean daemon = false;
    var positional = new java.util.ArrayList<String>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      Command c =
          switch (a) {
            case "-A", "--add-service" -> Command.ADD_SERVICE;
            case "-E", "--edit-service" -> Command.EDIT_SERVICE;
            case "-D", "--delete-service" -> Command.DELETE_SERVICE;
            case "-C", "--clear" -> Command.CLEAR;
            case "-a", "--add-server" -> Command.ADD_SERVER;
            case "-e", "--edit-server" -> Command.EDIT_SERVER;
            case "-d", "--delete-server" -> Command.DELETE_SERVER;
            case "-L", "-l", "--list" -> Command.LIST;
            case "-S", "--save" -> Command.SAVE;
            case "-R", "--restore" -> Command.RESTORE;
            case "-Z", "--zero" -> Command.ZERO;
            case "--set" -> Command.SET;
            default -> null;
          };
      if (c != null) {
        if (cmd != null && cmd != c) {
          throw new Usage("multiple commands specified");
        }
        cmd = c;
        continue;
      }
      if (a.matches("-[A-Za-z]{2,}") && !a.startsWith("--")) {
        // bundled short options such as -Ln or -Sn
        var expanded = new java.util.ArrayList<String>(args.subList(0, i));
        for (char ch : a.substring(1).toCharArray()) {
          expanded.add("-" + ch);
        }
        expanded.addAll(args.subList(i + 1, args.size()));
        return parse(expanded);
      }
      switch (a) {
        case "-t", "--tcp-service" -> key = Optional.of(inet(Protocol.TCP, value(args, ++i, a)));
        case "-u", "--udp-service" -> key = Optional.of(inet(Protocol.UDP, value(args, ++i, a)));
        case "-f", "--fwmark-service" ->
            key = Optional.of(new ServiceKey.Fwmark(fwmark(value(args, ++i, a)), IpFamily.IPV4));
        case "-s", "--scheduler" -> sched = Optional.of(value(args, ++i, a));
        case "-p", "--persistent" -> {
          if (i + 1 < args.size() && args.get(i + 1).matches("\\d+")) {
            persistence = Optional.of(Integer.parseInt(args.get(++i)));
          } else {
            persistence = Optional.of(300);
          }
        }
        case "-M", "--netmask" -> netmask = maskLength(value(args, ++i, a));
        case "-r", "--real-server" -> {
          String v = value(args, ++i, a);
          int colon = v.lastIndexOf(':');
          String addr = v;
          if (colon > 0 && (v.indexOf(':') == colon || v.startsWith("["))) {
            addr = v.substring(0, colon).replace("[", "").replace("]", "");
            serverPort = Optional.of(port(v.substring(colon + 1), REAL));
          }
          server = Optional.of(address(addr, REAL));
        }
        case "-g", "--gatewaying" -> method = Optional.of(ForwardMethod.GATE);
        case "-i", "--ipip" -> method = Optional.of(ForwardMethod.TUNNEL);
        case "-m", "--masquerading" -> method = Optional.of(ForwardMethod.MASQ);
        case "-w", "--weight" -> {
          int w = integer(value(args, ++i, a), "illegal weight specified");
          if (w < 0 || w > 65535) {
            throw new Usage("illegal weight specified");
          }
          weight = Optional.of(w);
        }
        case "-x", "--u-threshold", "-y", "--l-threshold" -> value(args, ++i, a);
        case "-n", "--numeric" -> numeric = true;
        case "--nosort" -> nosort = true;
        case "--exact", "--sort", "-6", "--ipv6" -> {}
        case "-c", "--connection" -> conns = true;
        case "--stats" -> stats = true;
        case "--rate" -> rate = true;
        case "--timeout" -> timeout = true;
        case "--daemon" -> daemon = true;
        default -> {
          if (!a.startsWith("-")) {
            positional.add(a);
            continue;
          }
          throw new Usage(
              "ipvsadm: invalid option -- '"
                  + a.replaceFirst("^-+", "")
                  + "'\n"
                  + "Try `ipvsadm -h' or 'ipvsadm --help' for more information.");
        }
      }
    }
    if (cmd == null) {
      cmd = Command.LIST;
    }
    // ipvsadm takes --set's three values from popt's leftover arguments, then refuses any other
    var values = new java.util.ArrayList<Integer>();
    if (cmd == Command.SET) {
      if (positional.size() < 3) {
        throw new Usage("--set option requires 3 timeout values");
      }
      for (String v : positional.subList(0, 3)) {
        values.add(timeoutValue(v));
      }
      positional.subList(0, 3).clear();
    }
    if (!positional.isEmpty()) {
      throw new Usage("unexpected argument " + positional.getFirst());
    }
    if ((conns || timeout || daemon) && (stats || rate)) {
      throw new Usage("options conflicts in the list command");
    }
    return new Options(
        cmd,
        key,
        sched,
        persistence,
        netmask,
        server,
        serverPort,
        method,
        weight,
        conns,
        stats,
        rate,
        numeric,
        nosort,
        timeout,
        daemon,
        List.copyOf(values));
  }

  /** ipvsadm's {@code parse_timeout(buf, 0, MAX_TIMEOUT)}: a decimal number of seconds. */
  private static int timeoutValue(String text) {
    if (text.matches("\\d{1,10}")) {
      long v = Long.parseLong(text);
      if (v <= MAX_TIMEOUT) {
        return (int) v;
      }
    }
    throw new Usage("invalid timeout value `" + text + "' specified");
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new Usage(
          "ipvsadm: option '"
              + option
              + "' requires an argument\n"
              + "Try `ipvsadm -h' or 'ipvsadm --help' for more information.");
    }
    return args.get(i);
  }

  private static ServiceKey inet(Protocol p, String text) {
    int colon = text.lastIndexOf(':');
    String addr = text;
    int port = 0;
    if (colon > 0 && (text.indexOf(':') == colon || text.startsWith("["))) {
      addr = text.substring(0, colon).replace("[", "").replace("]", "");
      port = port(text.substring(colon + 1), VIRTUAL);
    }
    return new ServiceKey.Inet(p, address(addr, VIRTUAL), port);
  }

  /** ipvsadm's refusals of what {@code parse_service} cannot read after -t/-u and after -r. */
  private static final String VIRTUAL = "illegal virtual server address[:port] specified";

  private static final String REAL = "illegal real server address[:port] specified";

  private static IpAddress address(String text, String message) {
    try {
      return IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Usage(message);
    }
  }

  private static int port(String text, String message) {
    int p = integer(text, message);
    if (p < 0 || p > 65535) {
      throw new Usage(message);
    }
    return p;
  }

  private static int integer(String text, String message) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Usage(message);
    }
  }

  /** ipvsadm's {@code parse_fwmark}: a decimal number from 1 to 2^32-1. */
  private static int fwmark(String text) {
    if (text.matches("\\d{1,10}")) {
      long v = Long.parseLong(text);
      if (v > 0 && v <= 0xffffffffL) {
        return (int) v;
      }
    }
    throw new Usage("invalid fwmark value `" + text + "' specified");
  }

  private static final String MASK = "illegal virtual server persistent mask specified";

  private static int maskLength(String text) {
    if (text.matches("\\d+")) {
      return Integer.parseInt(text);
    }
    IpAddress m = address(text, MASK);
    if (m instanceof Ipv4Address v4) {
      return Long.bitCount(v4.toBigInteger().longValue());
    }
    throw new Usage(MASK);
  }
}
