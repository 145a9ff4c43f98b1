package dev.podpath.shell.iptables;

import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How libxtables reads option values: numbers in C's bases, ports and services, port ranges,
 * protocols, addresses with masks (and lists of them). Errors carry the real messages.
 */
final class Values {

  private Values() {}

  /** One line of {@code /etc/services}: a name (with aliases) for a port of one protocol. */
  record Service(String name, List<String> aliases, int port, String protocol) {
    boolean serves(Optional<Protocol> p) {
      return p.isEmpty() || p.get().iptablesName().equals(protocol);
    }

    boolean named(String text) {
      return name.equals(text) || aliases.contains(text);
    }
  }

  /** The services of a stock Debian {@code /etc/services}, in file order. */
  static final List<Service> SERVICES = loadServices();

  private static List<Service> loadServices() {
    try (var in = Values.class.getResourceAsStream("services")) {
      if (in == null) {
        throw new IllegalStateException("resource dev/podpath/shell/iptables/services is missing");
      }
      List<Service> out = new ArrayList<>();
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Service(f[0], List.of(f).subList(3, f.length), Integer.parseInt(f[1]), f[2]));
      }
      return List.copyOf(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The service name of a port for a protocol ({@code getservbyport}), if any. */
  static Optional<String> serviceName(int port, Optional<Protocol> protocol) {
    return SERVICES.stream()
        .filter(s -> s.port() == port && s.serves(protocol))
        .map(Service::name)
        .findFirst();
  }

  /**
   * {@code strtoull} with base 0 (decimal, {@code 0x} hex, leading-0 octal) of the whole text, or
   * empty when it is not such a number or exceeds {@code max}.
   */
  static OptionalLong number(String text, long max) {
    String t = text;
    int radix = 10;
    if (t.startsWith("0x") || t.startsWith("0X")) {
      radix = 16;
      t = t.substring(2);
    } else if (t.length() > 1 && t.startsWith("0")) {
      radix = 8;
      t = t.substring(1);
    }
    if (t.isEmpty() || t.length() > 20) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.digit(t.charAt(i), radix) < 0) {
        return OptionalLong.empty();
      }
    }
    try {
      long v = Long.parseLong(t, radix);
      return v >= 0 && v <= max ? OptionalLong.of(v) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** An unsigned 32-bit value such as a mark. */
  static OptionalLong u32(String text) {
    return number(text, 0xffffffffL);
  }

  /** A port by number or by a service name of the protocol ({@code xtables_parse_port}). */
  static int port(String text, Optional<Protocol> protocol) {
    OptionalLong n = number(text, 65535);
    if (n.isPresent() && !text.startsWith("0x")) {
      return (int) n.getAsLong();
    }
    for (Service s : SERVICES) {
      if (s.named(text) && s.serves(protocol)) {
        return s.port();
      }
    }
    throw IptablesError.parameter("invalid port/service `" + text + "' specified");
  }

  /** {@code P}, {@code P:Q}, {@code :Q}, {@code P:} as the tcp and udp matches read them. */
  static PortRange portRange(String text, Optional<Protocol> protocol) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      return PortRange.of(port(text, protocol));
    }
    int low = colon == 0 ? 0 : port(text.substring(0, colon), protocol);
    int high = colon == text.length() - 1 ? 65535 : port(text.substring(colon + 1), protocol);
    if (low > high) {
      throw IptablesError.parameter("invalid portrange (min > max)");
    }
    return new PortRange(low, high);
  }

  /** A protocol by name or number ({@code xtables_parse_protocol}); empty for {@code all}/0. */
  static Optional<Protocol> protocol(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.equals("all") || t.equals("0")) {
      return Optional.empty();
    }
    Optional<Protocol> p = Protocol.find(t);
    if (p.isPresent()) {
      return p;
    }
    throw IptablesError.parameter("unknown protocol \"" + text + "\" specified");
  }

  /** A network name: the interface name rules of {@code -i}/{@code -o}. */
  static String iface(String text) {
    if (text.length() >= 16) {
      throw IptablesError.parameter(
          "interface name `" + text + "' must be shorter than IFNAMSIZ (15)");
    }
    return text;
  }

  /**
   * One {@code ADDRESS[/MASK]} of {@code -s}/{@code -d}/{@code --ctorigdst}: an IPv4 address in
   * xtables' dotted form (missing parts are zero), a prefix length or a dotted netmask.
   */
  static IpPrefix prefix(IpFamily family, String text) {
    int slash = text.lastIndexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    int length = family.bits();
    if (slash >= 0) {
      length = mask(family, text.substring(slash + 1));
    }
    Optional<IpAddress> a = address(family, addr);
    if (a.isEmpty()) {
      if (length == 0 && addr.equals("any")) {
        return new IpPrefix(family == IpFamily.IPV4 ? Ipv4Address.ANY : IpAddress.parse("::"), 0);
      }
      throw IptablesError.parameter("host/network `" + addr + "' not found");
    }
    return IpPrefix.of(a.get(), length);
  }

  /** A comma-separated list of prefixes, duplicates (after masking) dropped. */
  static List<IpPrefix> prefixes(IpFamily family, String text) {
    List<IpPrefix> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      IpPrefix p = prefix(family, part);
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static int mask(IpFamily family, String text) {
    if (family == IpFamily.IPV4 && text.indexOf('.') >= 0) {
      Optional<IpAddress> m = address(family, text);
      if (m.isPresent()) {
        int bits = ((Ipv4Address) m.get()).bits();
        int len = Integer.bitCount(bits);
        if (bits == (len == 0 ? 0 : -1 << (32 - len))) {
          return len;
        }
      }
      throw IptablesError.parameter("invalid mask `" + text + "' specified");
    }
    OptionalLong n = number(text, family.bits());
    if (n.isEmpty() || text.startsWith("0x")) {
      throw IptablesError.parameter("invalid mask `" + text + "' specified");
    }
    return (int) n.getAsLong();
  }

  /**
   * A literal address of the family, IPv4 written as xtables reads it ({@code 10.1} is 10.1.0.0).
   */
  static Optional<IpAddress> address(IpFamily family, String text) {
    if (family == IpFamily.IPV6) {
      if (text.indexOf(':') < 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(IpAddress.parse(text));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    int bits = 0;
    for (int i = 0; i < 4; i++) {
      int v = 0;
      if (i < parts.length) {
        String p = parts[i];
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
          return Optional.empty();
        }
        v = Integer.parseInt(p);
        if (v > 255) {
          return Optional.empty();
        }
      }
      bits = (bits << 8) | v;
    }
    return Optional.of(new Ipv4Address(bits));
  }
}
