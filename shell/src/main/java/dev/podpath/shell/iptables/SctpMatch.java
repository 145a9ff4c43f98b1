package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import dev.podpath.kernel.netfilter.rule.Match;
import dev.podpath.kernel.netfilter.rule.Negatable;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code -m sctp} as libxt_sctp reads and writes it: {@code --sport}/{@code --dport} with ranges
 * (kept even when they cover every port), and {@code --chunk-types any|all|only CHUNKS} with the
 * chunk names and their flag letters.
 */
final class SctpMatch extends Extension<Match> {

  /** A chunk name of libxt_sctp's table: its type and the letters of its flag bits 7..0. */
  private record Chunk(String name, int type, String validFlags) {}

  /**
   * libxt_sctp's {@code sctp_chunk_names}, in its order (a chunk's flags are keyed by position).
   */
  private static final List<Chunk> CHUNKS =
      List.of(
          new Chunk("DATA", 0, "----IUBE"),
          new Chunk("INIT", 1, "--------"),
          new Chunk("INIT_ACK", 2, "--------"),
          new Chunk("SACK", 3, "--------"),
          new Chunk("HEARTBEAT", 4, "--------"),
          new Chunk("HEARTBEAT_ACK", 5, "--------"),
          new Chunk("ABORT", 6, "-------T"),
          new Chunk("SHUTDOWN", 7, "--------"),
          new Chunk("SHUTDOWN_ACK", 8, "--------"),
          new Chunk("ERROR", 9, "--------"),
          new Chunk("COOKIE_ECHO", 10, "--------"),
          new Chunk("COOKIE_ACK", 11, "--------"),
          new Chunk("ECN_ECNE", 12, "--------"),
          new Chunk("ECN_CWR", 13, "--------"),
          new Chunk("SHUTDOWN_COMPLETE", 14, "-------T"),
          new Chunk("I_DATA", 64, "----IUBE"),
          new Chunk("RE_CONFIG", 130, "--------"),
          new Chunk("PAD", 132, "--------"),
          new Chunk("ASCONF", 193, "--------"),
          new Chunk("ASCONF_ACK", 128, "--------"),
          new Chunk("FORWARD_TSN", 192, "--------"),
          new Chunk("I_FORWARD_TSN", 194, "--------"));

  private Optional<Negatable<PortRange>> source = Optional.empty();
  private Optional<Negatable<PortRange>> destination = Optional.empty();
  private Optional<Negatable<Match.SctpChunks>> chunks = Optional.empty();

  SctpMatch() {
    super("sctp");
  }

  @Override
  List<Option> options() {
    return List.of(
        Option.of("source-port", REQUIRED, true, "sport"),
        Option.of("destination-port", REQUIRED, true, "dport"),
        Option.of("chunk-types", REQUIRED, true));
  }

  @Override
  void parse(String option, @Nullable String arg, boolean invert, Context ctx, Getopt getopt) {
    switch (option) {
      case "source-port" -> {
        onlyOne(option);
        source = Optional.of(new Negatable<>(ports(arg), invert));
      }
      case "destination-port" -> {
        onlyOne(option);
        destination = Optional.of(new Negatable<>(ports(arg), invert));
      }
      default -> {
        onlyOne(option);
        String list =
            getopt
                .takeValue()
                .orElseThrow(() -> IptablesError.parameter("--chunk-types requires two args"));
        chunks = Optional.of(new Negatable<>(chunkTypes(arg, list), invert));
      }
    }
  }

  /** {@code parse_sctp_ports}: the tcp and udp syntax, with the sctp services. */
  private static PortRange ports(String text) {
    return Values.portRange(text, Optional.of(Protocol.SCTP));
  }

  private static Match.SctpChunks chunkTypes(String mode, String list) {
    Match.ChunkMatch m =
        switch (mode.toUpperCase(Locale.ROOT)) {
          case "ANY" -> Match.ChunkMatch.ANY;
          case "ALL" -> Match.ChunkMatch.ALL;
          case "ONLY" -> Match.ChunkMatch.ONLY;
          default ->
              throw IptablesError.parameter(
                  "Match type has to be one of \"ALL\", \"ANY\" or \"ONLY\"");
        };
    if (list.equalsIgnoreCase("ALL")) {
      return new Match.SctpChunks(
          m, Set.copyOf(IntStream.range(0, 256).boxed().toList()), List.of());
    }
    if (list.equalsIgnoreCase("NONE")) {
      return new Match.SctpChunks(m, Set.of(), List.of());
    }
    Set<Integer> types = new TreeSet<>();
    List<int[]> flags = new ArrayList<>(); // {key, mask, value}
    for (String item : list.split(",")) {
      if (item.isEmpty()) {
        continue; // strtok skips empty fields
      }
      int colon = item.indexOf(':');
      String name = colon < 0 ? item : item.substring(0, colon);
      int index = -1;
      for (int i = 0; i < CHUNKS.size(); i++) {
        if (CHUNKS.get(i).name().equalsIgnoreCase(name)) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        throw IptablesError.parameter("Unknown sctp chunk `" + name + "'");
      }
      types.add(CHUNKS.get(index).type());
      if (colon >= 0) {
        for (char c : item.substring(colon + 1).toCharArray()) {
          int at = CHUNKS.get(index).validFlags().indexOf(Character.toUpperCase(c));
          if (at < 0) {
            throw IptablesError.parameter("Invalid flags for chunk type " + index);
          }
          addFlag(flags, index, 7 - at, Character.isUpperCase(c));
        }
      }
    }
    List<Match.ChunkFlags> out = new ArrayList<>();
    for (int[] f : flags) {
      out.add(new Match.ChunkFlags(f[0], f[1], f[2]));
    }
    return new Match.SctpChunks(m, types, out);
  }

  /** {@code save_chunk_flag_info}: one entry per chunk, at most four. */
  private static void addFlag(List<int[]> flags, int key, int bit, boolean set) {
    for (int[] f : flags) {
      if (f[0] == key) {
        f[1] |= 1 << bit;
        f[2] |= set ? 1 << bit : 0;
        return;
      }
    }
    if (flags.size() == 4) {
      throw IptablesError.parameter(
          "Number of chunk types with flags exceeds currently allowed limit. Increasing this"
              + " limit involves changing IPT_NUM_SCTP_FLAGS and recompiling both the kernel"
              + " space and user space modules");
    }
    flags.add(new int[] {key, 1 << bit, set ? 1 << bit : 0});
  }

  @Override
  Match build(Context ctx) {
    // No userspace protocol check: the kernel refuses the rule unless it says -p sctp.
    return new Match.Sctp(source, destination, chunks);
  }

  /** The options as {@code iptables -S} writes them ({@code sctp_save}). */
  static void save(StringBuilder sb, Match.Sctp m) {
    RuleText.ports(sb, "sport", m.sourcePorts());
    RuleText.ports(sb, "dport", m.destinationPorts());
    m.chunks()
        .ifPresent(
            c ->
                sb.append(c.inverted() ? " !" : "")
                    .append(" --chunk-types")
                    .append(chunkList(c.value(), false)));
  }

  /** The match as {@code iptables -L} shows it ({@code sctp_print}). */
  static void list(StringBuilder sb, Match.Sctp m, boolean numeric) {
    sb.append(" sctp");
    listPorts(sb, "spt", m.sourcePorts(), numeric);
    listPorts(sb, "dpt", m.destinationPorts(), numeric);
    m.chunks()
        .ifPresent(c -> sb.append(c.inverted() ? " !" : "").append(chunkList(c.value(), numeric)));
  }

  private static void listPorts(
      StringBuilder sb, String name, Optional<Negatable<PortRange>> r, boolean numeric) {
    Optional<Protocol> sctp = Optional.of(Protocol.SCTP);
    r.filter(p -> p.inverted() || !p.value().equals(PortRange.ALL))
        .ifPresent(
            p -> {
              sb.append(' ').append(name);
              String inv = p.inverted() ? "!" : "";
              if (p.value().isSingle()) {
                sb.append(':').append(inv).append(Listing.port(p.value().low(), numeric, sctp));
              } else {
                sb.append("s:")
                    .append(inv)
                    .append(Listing.port(p.value().low(), numeric, sctp))
                    .append(':')
                    .append(Listing.port(p.value().high(), numeric, sctp));
              }
            });
  }

  /** {@code print_chunks}: the mode, then NONE, ALL or the chunks in type order with flags. */
  private static String chunkList(Match.SctpChunks c, boolean numeric) {
    StringBuilder sb = new StringBuilder(" ").append(c.mode().name().toLowerCase(Locale.ROOT));
    if (c.types().isEmpty()) {
      return sb.append(" NONE").toString();
    }
    if (c.types().size() == 256) {
      return sb.append(" ALL").toString();
    }
    String sep = " ";
    for (int type : c.types()) {
      sb.append(sep);
      sep = ",";
      if (numeric) {
        sb.append(String.format("0x%04X", type));
      } else {
        CHUNKS.stream().filter(k -> k.type() == type).forEach(k -> sb.append(k.name()));
      }
      for (Match.ChunkFlags f : c.flags()) {
        if (f.key() == type) {
          sb.append(':');
          String letters = CHUNKS.get(type).validFlags();
          for (int bit = 7; bit >= 0; bit--) {
            if ((f.mask() & (1 << bit)) != 0) {
              char l = letters.charAt(7 - bit);
              sb.append((f.value() & (1 << bit)) != 0 ? l : Character.toLowerCase(l));
            }
          }
        }
      }
    }
    return sb.toString();
  }
}
