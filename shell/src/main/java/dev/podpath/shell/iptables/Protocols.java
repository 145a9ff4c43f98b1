package dev.podpath.shell.iptables;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * IP protocols by name and number as iptables reads and prints {@code -p}: {@code
 * xtables_parse_protocol} (a number in C's bases up to 255, {@code all}, a name or alias of {@code
 * /etc/protocols}, then libxtables' own short list) and {@code proto_to_name} (the {@code
 * /etc/protocols} name of a number). The file is a stock Debian one ({@code protocols} next to this
 * class), as the services are.
 */
final class Protocols {

  private Protocols() {}

  /** One line of {@code /etc/protocols}. */
  private record Entry(String name, int number, List<String> aliases) {}

  private static final List<Entry> ENTRIES = load();

  /** {@code xtables_chain_protos}: names libxtables knows when {@code /etc/protocols} does not. */
  private static final Map<String, Integer> BUILTIN =
      Map.ofEntries(
          Map.entry("tcp", 6),
          Map.entry("sctp", 132),
          Map.entry("udp", 17),
          Map.entry("udplite", 136),
          Map.entry("icmp", 1),
          Map.entry("icmpv6", 58),
          Map.entry("ipv6-icmp", 58),
          Map.entry("esp", 50),
          Map.entry("ah", 51),
          Map.entry("ipv6-mh", 135),
          Map.entry("mh", 135),
          Map.entry("all", 0));

  private static List<Entry> load() {
    try (var in = Protocols.class.getResourceAsStream("protocols")) {
      if (in == null) {
        throw new IllegalStateException("resource dev/podpath/shell/iptables/protocols is missing");
      }
      List<Entry> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Entry(f[0], Integer.parseInt(f[1]), List.of(f).subList(2, f.length)));
      }
      return List.copyOf(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The protocol number of {@code -p TEXT} (already lower-cased, as iptables does), 0 for {@code
   * all}.
   */
  static int parse(String text) {
    OptionalLong n = Values.number(text, 255);
    if (n.isPresent()) {
      return (int) n.getAsLong();
    }
    if (text.equals("all")) {
      return 0;
    }
    for (Entry e : ENTRIES) {
      if (e.name().equals(text) || e.aliases().contains(text)) {
        return e.number();
      }
    }
    Integer builtin = BUILTIN.get(text);
    if (builtin != null) {
      return builtin;
    }
    throw IptablesError.parameter("unknown protocol \"" + text + "\" specified");
  }

  /** The name {@code iptables -S} and {@code -L} print for a protocol number, if it has one. */
  static Optional<String> name(int number) {
    for (Entry e : ENTRIES) {
      if (e.number() == number) {
        return Optional.of(e.name());
      }
    }
    return BUILTIN.entrySet().stream()
        .filter(b -> b.getValue() == number)
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst();
  }

  /**
   * {@code -p N} as the {@code -v} line of an added rule prints it: the {@code /etc/protocols} name
   * of a protocol libxtables knows by itself ({@code xtables_chain_protos}), the number of any
   * other (as iptables 1.8.9 prints it: {@code gre} shows as 47 there).
   */
  static String shortText(int number) {
    if (number == 0) {
      return "all";
    }
    return BUILTIN.containsValue(number) ? text(number) : Integer.toString(number);
  }

  /** {@code -p N} as iptables prints it: the name, or the number when it has none. */
  static String text(int number) {
    return name(number).orElse(Integer.toString(number));
  }
}
