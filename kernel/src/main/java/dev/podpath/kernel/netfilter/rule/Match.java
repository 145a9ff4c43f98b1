package dev.podpath.kernel.netfilter.rule;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.CtState;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.net.SctpChunk;
import dev.podpath.net.TcpFlag;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One condition of a rule: the rule's own fields ({@code -s}, {@code -d}, {@code -p}, {@code -i},
 * {@code -o}) or one match extension ({@code -m NAME …}). One record per extension; options that
 * iptables lets you invert with {@code !} carry their inversion ({@link Negatable}). A closed set:
 * the evaluator and the iptables codec take it apart with a pattern-matching {@code switch}.
 */
public sealed interface Match {

  /** The extension's name as {@code -m NAME} writes it; empty for the rule's own fields. */
  default String module() {
    return switch (this) {
      case Source s -> "";
      case Destination d -> "";
      case Proto p -> "";
      case Fragment f -> "";
      case InInterface i -> "";
      case OutInterface o -> "";
      case Tcp t -> "tcp";
      case Udp u -> "udp";
      case Sctp s -> "sctp";
      case Icmp i -> "icmp";
      case Icmp6 i -> "icmp6";
      case Multiport m -> "multiport";
      case Comment c -> "comment";
      case Mark m -> "mark";
      case ConnMark c -> "connmark";
      case Conntrack c -> "conntrack";
      case State s -> "state";
      case AddrType a -> "addrtype";
      case Statistic s -> "statistic";
      case Physdev p -> "physdev";
      case Recent r -> "recent";
      case Nfacct n -> "nfacct";
      case IpSet s -> "set";
    };
  }

  /** {@code [!] -s ADDRESS[/MASK]}. */
  record Source(IpPrefix prefix, boolean inverted) implements Match {
    public Source {
      prefix = prefix.masked();
    }
  }

  /** {@code [!] -d ADDRESS[/MASK]}. */
  record Destination(IpPrefix prefix, boolean inverted) implements Match {
    public Destination {
      prefix = prefix.masked();
    }
  }

  /**
   * {@code [!] -p PROTOCOL}: an IP protocol number 1..255 ({@code -p all}, 0, is no match at all).
   * Numbers podpath has no {@link Protocol} for ({@code gre}, 47) match no podpath packet.
   */
  record Proto(int number, boolean inverted) implements Match {
    public Proto {
      if (number < 1 || number > 255) {
        throw new IllegalArgumentException("-p: protocol number must be 1..255, got " + number);
      }
    }

    public Proto(Protocol protocol, boolean inverted) {
      this(protocol.number(), inverted);
    }

    /** The modelled protocol of this number, if there is one. */
    public Optional<Protocol> protocol() {
      return Protocol.byNumber(number);
    }

    public boolean matches(Protocol packetProtocol) {
      return (packetProtocol.number() == number) != inverted;
    }
  }

  /**
   * {@code [!] -f}: the second and later fragments of a fragmented IPv4 packet. podpath's packets
   * are never fragments (as on a host with conntrack, which reassembles before the iptables hooks),
   * so {@code -f} never matches and {@code ! -f} always does.
   */
  record Fragment(boolean inverted) implements Match {}

  /** {@code [!] -i NAME}; a trailing {@code +} matches every name with that prefix. */
  record InInterface(String name, boolean inverted) implements Match {
    public InInterface {
      checkInterface("-i", name);
    }

    public boolean matches(String device) {
      return interfaceMatches(name, device) != inverted;
    }
  }

  /** {@code [!] -o NAME}; a trailing {@code +} matches every name with that prefix. */
  record OutInterface(String name, boolean inverted) implements Match {
    public OutInterface {
      checkInterface("-o", name);
    }

    public boolean matches(String device) {
      return interfaceMatches(name, device) != inverted;
    }
  }

  /**
   * {@code -m tcp [!] --sport P[:P] [!] --dport P[:P] [!] --tcp-flags MASK COMP} ({@code --syn}).
   */
  record Tcp(
      Optional<Negatable<PortRange>> sourcePorts,
      Optional<Negatable<PortRange>> destinationPorts,
      Optional<Negatable<TcpFlags>> flags)
      implements Match {}

  /** {@code --tcp-flags MASK COMP}: of the flags in {@code mask}, exactly those in {@code set}. */
  record TcpFlags(Set<TcpFlag> mask, Set<TcpFlag> set) {
    /** {@code --syn}: {@code --tcp-flags FIN,SYN,RST,ACK SYN}. */
    public static final TcpFlags SYN =
        new TcpFlags(
            EnumSet.of(TcpFlag.FIN, TcpFlag.SYN, TcpFlag.RST, TcpFlag.ACK),
            EnumSet.of(TcpFlag.SYN));

    public TcpFlags {
      mask = mask.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(mask));
      set = set.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(set));
    }

    public boolean matches(Set<TcpFlag> packetFlags) {
      for (TcpFlag f : mask) {
        if (packetFlags.contains(f) != set.contains(f)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code -m sctp [!] --sport P[:P] [!] --dport P[:P] [!] --chunk-types any|all|only CHUNKS}.
   * Unlike tcp and udp, a port range given as {@code 0:65535} is kept (and printed).
   */
  record Sctp(
      Optional<Negatable<PortRange>> sourcePorts,
      Optional<Negatable<PortRange>> destinationPorts,
      Optional<Negatable<SctpChunks>> chunks)
      implements Match {}

  /** How {@code --chunk-types} compares the packet's chunks with its list. */
  enum ChunkMatch {
    /** {@code any}: some chunk of the packet is in the list. */
    ANY,
    /** {@code all}: every chunk type of the list is in the packet. */
    ALL,
    /** {@code only}: every chunk of the packet is in the list. */
    ONLY
  }

  /**
   * A flag condition of {@code --chunk-types}: of the chunk's flags in {@code mask}, exactly those
   * in {@code value} are set. {@code key} is what libxt_sctp stores as the chunk type: the chunk's
   * position in its name table (equal to the type for DATA, ABORT and SHUTDOWN_COMPLETE; 15 for
   * I_DATA, whose flags so never apply, as on Linux).
   */
  record ChunkFlags(int key, int mask, int value) {
    public ChunkFlags {
      if (key < 0 || key > 255 || mask < 1 || mask > 255 || (value & ~mask) != 0) {
        throw new IllegalArgumentException(
            "chunk flags: need key 0..255, mask 1..255 and value within mask, got "
                + key
                + "/"
                + mask
                + "/"
                + value);
      }
    }
  }

  /**
   * {@code --chunk-types MODE CHUNKS}: the chunk types listed (every type 0..255 for {@code ALL}),
   * and at most four flag conditions.
   */
  record SctpChunks(ChunkMatch mode, Set<Integer> types, List<ChunkFlags> flags) {
    public SctpChunks {
      types = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(types));
      flags = List.copyOf(flags);
      if (flags.size() > 4 || types.stream().anyMatch(t -> t < 0 || t > 255)) {
        throw new IllegalArgumentException(
            "chunk types: need types 0..255 and at most 4 flag conditions");
      }
    }

    /** {@code match_packet} of xt_sctp over the packet's chunks. */
    public boolean matches(List<SctpChunk> chunks) {
      Set<Integer> missing = new java.util.HashSet<>(types);
      for (SctpChunk c : chunks) {
        if (types.contains(c.type())) {
          boolean flagsOk = flagsMatch(c);
          switch (mode) {
            case ANY -> {
              if (flagsOk) {
                return true;
              }
            }
            case ALL -> {
              if (flagsOk) {
                missing.remove(c.type());
              }
            }
            case ONLY -> {
              if (!flagsOk) {
                return false;
              }
            }
          }
        } else if (mode == ChunkMatch.ONLY) {
          return false;
        }
      }
      return switch (mode) {
        case ANY -> false;
        case ALL -> missing.isEmpty();
        case ONLY -> true;
      };
    }

    private boolean flagsMatch(SctpChunk c) {
      for (ChunkFlags f : flags) {
        if (f.key() == c.type()) {
          return (c.flags() & f.mask()) == f.value();
        }
      }
      return true;
    }
  }

  /** {@code -m udp [!] --sport P[:P] [!] --dport P[:P]}. */
  record Udp(
      Optional<Negatable<PortRange>> sourcePorts, Optional<Negatable<PortRange>> destinationPorts)
      implements Match {}

  /**
   * An ICMP type with a code range ({@code echo-request} is 8 with codes 0..255; {@code
   * port-unreachable} is 3 with code 3). {@link #ANY} (type 255) matches every ICMP packet.
   */
  record IcmpType(int type, int codeMin, int codeMax) {
    public static final IcmpType ANY = new IcmpType(255, 0, 255);

    public IcmpType {
      if (type < 0 || type > 255 || codeMin < 0 || codeMax > 255 || codeMin > codeMax) {
        throw new IllegalArgumentException(
            "icmp type: need type 0..255 and codes 0 <= min <= max <= 255, got "
                + type
                + "/"
                + codeMin
                + ".."
                + codeMax);
      }
    }

    public static IcmpType of(int type) {
      return new IcmpType(type, 0, 255);
    }

    public static IcmpType of(int type, int code) {
      return new IcmpType(type, code, code);
    }

    public boolean matches(int packetType, int packetCode) {
      return type == 255 || (packetType == type && packetCode >= codeMin && packetCode <= codeMax);
    }
  }

  /** {@code -m icmp [!] --icmp-type TYPE[/CODE]} (IPv4). */
  record Icmp(Optional<Negatable<IcmpType>> type) implements Match {}

  /** {@code -m icmp6 [!] --icmpv6-type TYPE[/CODE]} (IPv6; no "any" type). */
  record Icmp6(Optional<Negatable<IcmpType>> type) implements Match {}

  /** Which ports {@code -m multiport} compares. */
  enum MultiportDirection {
    /** {@code --sports}. */
    SOURCE,
    /** {@code --dports}. */
    DESTINATION,
    /** {@code --ports}: either. */
    EITHER
  }

  /** {@code -m multiport [!] --sports|--dports|--ports P[:P],…} (at most 15 ports, a range two). */
  record Multiport(MultiportDirection direction, List<PortRange> ports, boolean inverted)
      implements Match {
    public Multiport {
      ports = List.copyOf(ports);
      int slots = ports.stream().mapToInt(p -> p.isSingle() ? 1 : 2).sum();
      if (ports.isEmpty() || slots > 15) {
        throw new IllegalArgumentException(
            "multiport: need 1 to 15 ports (a range counts as two), got " + slots);
      }
    }
  }

  /** {@code -m comment --comment TEXT} (at most 255 characters). */
  record Comment(String text) implements Match {
    public Comment {
      if (text.length() > 255) {
        throw new IllegalArgumentException("comment: at most 255 characters, got " + text.length());
      }
    }
  }

  /** {@code -m mark [!] --mark VALUE[/MASK]}: {@code (mark & mask) == value}. */
  record Mark(int value, int mask, boolean inverted) implements Match {
    public boolean matches(int mark) {
      return ((mark & mask) == value) != inverted;
    }
  }

  /** {@code -m connmark [!] --mark VALUE[/MASK]} on the connection's mark. */
  record ConnMark(int value, int mask, boolean inverted) implements Match {
    public boolean matches(int mark) {
      return ((mark & mask) == value) != inverted;
    }
  }

  /** Conntrack status bits as {@code --ctstatus} names them. */
  enum CtStatus {
    NONE,
    EXPECTED,
    SEEN_REPLY,
    ASSURED,
    CONFIRMED
  }

  /** A connection direction ({@code --ctdir}). */
  enum CtDirection {
    ORIGINAL,
    REPLY
  }

  /**
   * {@code -m conntrack}: every present option must hold. Build with {@link #builder()}.
   *
   * @param states {@code [!] --ctstate}
   * @param protocol {@code [!] --ctproto}
   * @param originalSource {@code [!] --ctorigsrc}
   * @param originalDestination {@code [!] --ctorigdst}
   * @param replySource {@code [!] --ctreplsrc}
   * @param replyDestination {@code [!] --ctrepldst}
   * @param originalSourcePort {@code [!] --ctorigsrcport}
   * @param originalDestinationPort {@code [!] --ctorigdstport}
   * @param replySourcePort {@code [!] --ctreplsrcport}
   * @param replyDestinationPort {@code [!] --ctrepldstport}
   * @param status {@code [!] --ctstatus}
   * @param direction {@code --ctdir}
   */
  record Conntrack(
      Optional<Negatable<Set<CtState>>> states,
      Optional<Negatable<Protocol>> protocol,
      Optional<Negatable<IpPrefix>> originalSource,
      Optional<Negatable<IpPrefix>> originalDestination,
      Optional<Negatable<IpPrefix>> replySource,
      Optional<Negatable<IpPrefix>> replyDestination,
      Optional<Negatable<PortRange>> originalSourcePort,
      Optional<Negatable<PortRange>> originalDestinationPort,
      Optional<Negatable<PortRange>> replySourcePort,
      Optional<Negatable<PortRange>> replyDestinationPort,
      Optional<Negatable<Set<CtStatus>>> status,
      Optional<CtDirection> direction)
      implements Match {

    public Conntrack {
      states =
          states.map(n -> new Negatable<>(Set.copyOf(EnumSet.copyOf(n.value())), n.inverted()));
      status =
          status.map(n -> new Negatable<>(Set.copyOf(EnumSet.copyOf(n.value())), n.inverted()));
    }

    /** {@code -m conntrack --ctstate STATES}. */
    public static Conntrack ofStates(Set<CtState> states) {
      return builder().states(Negatable.of(states)).build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Conntrack} match option by option. */
    public static final class Builder {
      private Optional<Negatable<Set<CtState>>> states = Optional.empty();
      private Optional<Negatable<Protocol>> protocol = Optional.empty();
      private Optional<Negatable<IpPrefix>> origSrc = Optional.empty();
      private Optional<Negatable<IpPrefix>> origDst = Optional.empty();
      private Optional<Negatable<IpPrefix>> replSrc = Optional.empty();
      private Optional<Negatable<IpPrefix>> replDst = Optional.empty();
      private Optional<Negatable<PortRange>> origSrcPort = Optional.empty();
      private Optional<Negatable<PortRange>> origDstPort = Optional.empty();
      private Optional<Negatable<PortRange>> replSrcPort = Optional.empty();
      private Optional<Negatable<PortRange>> replDstPort = Optional.empty();
      private Optional<Negatable<Set<CtStatus>>> status = Optional.empty();
      private Optional<CtDirection> direction = Optional.empty();

      public Builder states(Negatable<Set<CtState>> v) {
        states = Optional.of(v);
        return this;
      }

      public Builder protocol(Negatable<Protocol> v) {
        protocol = Optional.of(v);
        return this;
      }

      public Builder originalSource(Negatable<IpPrefix> v) {
        origSrc = Optional.of(v);
        return this;
      }

      public Builder originalDestination(Negatable<IpPrefix> v) {
        origDst = Optional.of(v);
        return this;
      }

      public Builder replySource(Negatable<IpPrefix> v) {
        replSrc = Optional.of(v);
        return this;
      }

      public Builder replyDestination(Negatable<IpPrefix> v) {
        replDst = Optional.of(v);
        return this;
      }

      public Builder originalSourcePort(Negatable<PortRange> v) {
        origSrcPort = Optional.of(v);
        return this;
      }

      public Builder originalDestinationPort(Negatable<PortRange> v) {
        origDstPort = Optional.of(v);
        return this;
      }

      public Builder replySourcePort(Negatable<PortRange> v) {
        replSrcPort = Optional.of(v);
        return this;
      }

      public Builder replyDestinationPort(Negatable<PortRange> v) {
        replDstPort = Optional.of(v);
        return this;
      }

      public Builder status(Negatable<Set<CtStatus>> v) {
        status = Optional.of(v);
        return this;
      }

      public Builder direction(CtDirection v) {
        direction = Optional.of(v);
        return this;
      }

      public Conntrack build() {
        return new Conntrack(
            states,
            protocol,
            origSrc,
            origDst,
            replSrc,
            replDst,
            origSrcPort,
            origDstPort,
            replSrcPort,
            replDstPort,
            status,
            direction);
      }
    }
  }

  /** {@code -m state [!] --state STATES} (the older spelling of {@code --ctstate}). */
  record State(Set<CtState> states, boolean inverted) implements Match {
    public State {
      if (states.isEmpty()) {
        throw new IllegalArgumentException("state: at least one state is required");
      }
      states = Set.copyOf(EnumSet.copyOf(states));
    }
  }

  /**
   * {@code -m addrtype [[!] --src-type TYPES] [[!] --dst-type TYPES] [--limit-iface-in |
   * --limit-iface-out]}.
   */
  record AddrType(
      Optional<Negatable<Set<AddressType>>> sourceType,
      Optional<Negatable<Set<AddressType>>> destinationType,
      boolean limitIfaceIn,
      boolean limitIfaceOut)
      implements Match {
    public AddrType {
      if (limitIfaceIn && limitIfaceOut) {
        throw new IllegalArgumentException(
            "addrtype: --limit-iface-in and --limit-iface-out are exclusive");
      }
      sourceType =
          sourceType.map(n -> new Negatable<>(Set.copyOf(EnumSet.copyOf(n.value())), n.inverted()));
      destinationType =
          destinationType.map(
              n -> new Negatable<>(Set.copyOf(EnumSet.copyOf(n.value())), n.inverted()));
    }
  }

  /** The two modes of {@code -m statistic}. */
  enum StatisticMode {
    RANDOM,
    NTH
  }

  /**
   * {@code -m statistic --mode random [!] --probability P} or {@code --mode nth [!] --every N
   * [--packet P]}. The kernel keeps the probability as a 31-bit fraction: {@link
   * #effectiveProbability()} is the chance it really matches with.
   */
  record Statistic(StatisticMode mode, double probability, int every, int packet, boolean inverted)
      implements Match {
    public Statistic {
      if (mode == StatisticMode.RANDOM && (probability < 0 || probability > 1)) {
        throw new IllegalArgumentException(
            "statistic: --probability must be in [0,1], got " + probability);
      }
      if (mode == StatisticMode.NTH && (every < 1 || packet < 0 || packet >= every)) {
        throw new IllegalArgumentException(
            "statistic: need --every >= 1 and 0 <= --packet < --every, got "
                + every
                + "/"
                + packet);
      }
    }

    public static Statistic random(double probability) {
      return new Statistic(StatisticMode.RANDOM, probability, 0, 0, false);
    }

    public static Statistic nth(int every, int packet) {
      return new Statistic(StatisticMode.NTH, 0, every, packet, false);
    }

    /** {@code lround(0x80000000 * p)} out of {@code 2^31}, as xt_statistic compares. */
    public double effectiveProbability() {
      return Math.round(0x80000000L * probability) / (double) 0x80000000L;
    }
  }

  /**
   * {@code -m physdev [!] --physdev-in P [!] --physdev-out P [[!] --physdev-is-in] [[!]
   * --physdev-is-out] [[!] --physdev-is-bridged]}; the booleans are true for the plain option and
   * false for the inverted one.
   */
  record Physdev(
      Optional<Negatable<String>> in,
      Optional<Negatable<String>> out,
      Optional<Boolean> isIn,
      Optional<Boolean> isOut,
      Optional<Boolean> isBridged)
      implements Match {
    public Physdev {
      in.ifPresent(n -> checkInterface("--physdev-in", n.value()));
      out.ifPresent(n -> checkInterface("--physdev-out", n.value()));
    }
  }

  /** What {@code -m recent} does with its list. */
  enum RecentCommand {
    /** {@code --set}: add or refresh the address; always matches. */
    SET,
    /** {@code --rcheck}: whether the address is in the list. */
    RCHECK,
    /** {@code --update}: like rcheck, and refresh the entry's last-seen time. */
    UPDATE,
    /** {@code --remove}: remove the address; matches when it was present. */
    REMOVE
  }

  /** Which address of the packet {@code -m recent} records. */
  enum RecentSide {
    /** {@code --rsource} (the default). */
    SOURCE,
    /** {@code --rdest}. */
    DEST
  }

  /**
   * {@code -m recent --name N [!] --set|--rcheck|--update|--remove [--seconds S] [--reap]
   * [--hitcount H] [--rttl] [--rsource|--rdest] [--mask M]}. kube-proxy's ClientIP session
   * affinity.
   */
  record Recent(
      String name,
      RecentCommand command,
      Optional<Long> seconds,
      boolean reap,
      Optional<Integer> hitCount,
      boolean rttl,
      RecentSide side,
      IpAddress mask,
      boolean inverted)
      implements Match {
    public Recent {
      if (name.isEmpty() || name.length() > 200) {
        throw new IllegalArgumentException("recent: --name must be 1..200 characters");
      }
      if (reap && seconds.isEmpty()) {
        throw new IllegalArgumentException("recent: --reap needs --seconds");
      }
      if (hitCount.isPresent() && (hitCount.get() < 1 || hitCount.get() > 255)) {
        throw new IllegalArgumentException(
            "recent: --hitcount must be 1..255, got " + hitCount.get());
      }
      if ((command == RecentCommand.SET || command == RecentCommand.REMOVE)
          && (seconds.isPresent() || hitCount.isPresent())) {
        throw new IllegalArgumentException(
            "recent: --seconds and --hitcount go with --rcheck or --update");
      }
    }
  }

  /**
   * {@code -m nfacct --nfacct-name NAME}: counts into a named accounting object; always matches.
   */
  record Nfacct(String name) implements Match {}

  /** Which packet field one dimension of {@code --match-set} compares. */
  enum SetDirection {
    SRC,
    DST
  }

  /** {@code -m set [!] --match-set NAME src|dst[,src|dst…]}. */
  record IpSet(String setName, List<SetDirection> directions, boolean inverted) implements Match {
    public IpSet {
      directions = List.copyOf(directions);
      if (directions.isEmpty() || directions.size() > 6) {
        throw new IllegalArgumentException("set: --match-set needs 1 to 6 directions");
      }
    }
  }

  private static void checkInterface(String option, String name) {
    if (name.isEmpty() || name.length() > 15) {
      throw new IllegalArgumentException(
          option + ": interface name must be 1..15 characters, got '" + name + "'");
    }
    int plus = name.indexOf('+');
    if (plus >= 0 && plus != name.length() - 1) {
      throw new IllegalArgumentException(
          option + ": '+' may only end an interface name, got '" + name + "'");
    }
  }

  /** iptables interface matching: exact, or by prefix with a trailing {@code +}. */
  static boolean interfaceMatches(String pattern, String device) {
    return pattern.endsWith("+")
        ? device.startsWith(pattern.substring(0, pattern.length() - 1))
        : device.equals(pattern);
  }
}
