package dev.podpath.kernel.netfilter.rule;

import dev.podpath.net.IpAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a rule does when all its matches hold ({@code -j TARGET} or {@code -g CHAIN}). One record
 * per target extension; a closed set taken apart with a pattern-matching {@code switch}. Some
 * targets decide ({@link Accept}, {@link Drop}, {@link Reject}, the NAT targets); the others
 * ({@link Log}, {@link Mark}, {@link ConnMark}, {@link NoTrack}, {@link Ct}, {@link Trace}, {@link
 * None}) let the packet go on to the next rule.
 */
public sealed interface Target {

  /** The name as {@code -j NAME} writes it (the chain's name for jumps and gotos). */
  default String name() {
    return switch (this) {
      case Accept a -> "ACCEPT";
      case Drop d -> "DROP";
      case Return r -> "RETURN";
      case Jump j -> j.chain();
      case Goto g -> g.chain();
      case None n -> "";
      case Reject r -> "REJECT";
      case Log l -> "LOG";
      case Mark m -> "MARK";
      case ConnMark c -> "CONNMARK";
      case Dnat d -> "DNAT";
      case Snat s -> "SNAT";
      case Masquerade m -> "MASQUERADE";
      case Redirect r -> "REDIRECT";
      case NoTrack n -> "NOTRACK";
      case Ct c -> "CT";
      case Trace t -> "TRACE";
    };
  }

  /** {@code -j ACCEPT}. */
  record Accept() implements Target {}

  /** {@code -j DROP}. */
  record Drop() implements Target {}

  /** {@code -j RETURN}: back to the calling chain (or the policy, in a built-in chain). */
  record Return() implements Target {}

  /** {@code -j CHAIN}: into a user chain, coming back after it when it ends or RETURNs. */
  record Jump(String chain) implements Target {}

  /** {@code -g CHAIN}: into a user chain without coming back (its end returns to our caller). */
  record Goto(String chain) implements Target {}

  /** No {@code -j}: the rule only counts. */
  record None() implements Target {}

  /** {@code -j REJECT [--reject-with KIND]}. */
  record Reject(RejectWith with) implements Target {}

  /** The {@code --log-*} flags of {@code LOG}. */
  enum LogFlag {
    TCP_SEQUENCE,
    TCP_OPTIONS,
    IP_OPTIONS,
    UID,
    MACDECODE
  }

  /**
   * {@code -j LOG [--log-prefix P] [--log-level L] [--log-tcp-sequence] …}: writes a kernel log
   * line (as {@code dmesg} shows it) and lets the packet go on.
   *
   * @param level the syslog level 0..7 (4, warning, by default)
   */
  record Log(String prefix, int level, Set<LogFlag> flags) implements Target {
    public Log {
      if (prefix.length() > 29) {
        throw new IllegalArgumentException(
            "LOG: --log-prefix is at most 29 characters, got " + prefix.length());
      }
      if (level < 0 || level > 7) {
        throw new IllegalArgumentException("LOG: --log-level must be 0..7, got " + level);
      }
      flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    public static Log withPrefix(String prefix) {
      return new Log(prefix, 4, Set.of());
    }
  }

  /**
   * {@code -j MARK}, in the kernel's one form: clear the bits of {@code mask}, then XOR {@code
   * value} ({@code --set-xmark value/mask}). The factories give the other spellings.
   */
  record Mark(int value, int mask) implements Target {
    /** {@code --set-xmark VALUE/MASK}. */
    public static Mark setXmark(int value, int mask) {
      return new Mark(value, mask);
    }

    /** {@code --set-mark VALUE[/MASK]}: {@code --set-xmark VALUE/(MASK|VALUE)}. */
    public static Mark setMark(int value, int mask) {
      return new Mark(value, mask | value);
    }

    /** {@code --set-mark VALUE}: {@code --set-xmark VALUE/0xffffffff}. */
    public static Mark setMark(int value) {
      return new Mark(value, 0xffffffff);
    }

    /** {@code --or-mark BITS}: {@code --set-xmark BITS/BITS}. */
    public static Mark orMark(int bits) {
      return new Mark(bits, bits);
    }

    /** {@code --and-mark BITS}: {@code --set-xmark 0/~BITS}. */
    public static Mark andMark(int bits) {
      return new Mark(0, ~bits);
    }

    /** {@code --xor-mark BITS}: {@code --set-xmark BITS/0}. */
    public static Mark xorMark(int bits) {
      return new Mark(bits, 0);
    }

    /** The new mark: {@code (old & ~mask) ^ value}. */
    public int apply(int old) {
      return (old & ~mask) ^ value;
    }
  }

  /** What {@code CONNMARK} does. */
  enum ConnMarkMode {
    /** {@code --set-xmark CTMARK/CTMASK}: ct mark = (ct mark & ~ctMask) ^ ctMark. */
    SET,
    /** {@code --save-mark}: ct mark = (ct mark & ~ctMask) ^ (mark & nfMask). */
    SAVE,
    /** {@code --restore-mark}: mark = (mark & ~nfMask) ^ (ct mark & ctMask). */
    RESTORE
  }

  /** {@code -j CONNMARK --set-xmark | --save-mark | --restore-mark [--nfmask M] [--ctmask M]}. */
  record ConnMark(ConnMarkMode mode, int ctMark, int ctMask, int nfMask) implements Target {
    public static ConnMark setXmark(int value, int mask) {
      return new ConnMark(ConnMarkMode.SET, value, mask, 0);
    }

    /** {@code --set-mark VALUE[/MASK]}: {@code --set-xmark VALUE/(MASK|VALUE)}. */
    public static ConnMark setMark(int value, int mask) {
      return new ConnMark(ConnMarkMode.SET, value, mask | value, 0);
    }

    public static ConnMark saveMark(int nfMask, int ctMask) {
      return new ConnMark(ConnMarkMode.SAVE, 0, ctMask, nfMask);
    }

    public static ConnMark restoreMark(int nfMask, int ctMask) {
      return new ConnMark(ConnMarkMode.RESTORE, 0, ctMask, nfMask);
    }
  }

  /**
   * A NAT target's range ({@code --to-destination}/{@code --to-source}): an address range, a port
   * range, or both.
   */
  record NatRange(Optional<IpAddress> first, Optional<IpAddress> last, Optional<PortRange> ports) {
    public NatRange {
      if (first.isPresent() != last.isPresent()) {
        throw new IllegalArgumentException(
            "NAT range: give both ends of the address range or neither");
      }
      if (first.isPresent()
          && (first.get().family() != last.get().family()
              || first.get().compareTo(last.get()) > 0)) {
        throw new IllegalArgumentException(
            "NAT range: need first <= last of one family, got " + first.get() + "-" + last.get());
      }
      if (first.isEmpty() && ports.isEmpty()) {
        throw new IllegalArgumentException("NAT range: needs an address or a port");
      }
    }

    public static NatRange to(IpAddress address) {
      return new NatRange(Optional.of(address), Optional.of(address), Optional.empty());
    }

    public static NatRange to(IpAddress address, int port) {
      return new NatRange(
          Optional.of(address), Optional.of(address), Optional.of(PortRange.of(port)));
    }
  }

  /** {@code -j DNAT --to-destination RANGE [--random] [--persistent]}. */
  record Dnat(NatRange range, boolean random, boolean persistent) implements Target {
    public static Dnat to(IpAddress address, int port) {
      return new Dnat(NatRange.to(address, port), false, false);
    }
  }

  /** {@code -j SNAT --to-source RANGE [--random] [--random-fully] [--persistent]}. */
  record Snat(NatRange range, boolean random, boolean randomFully, boolean persistent)
      implements Target {
    public static Snat to(IpAddress address) {
      return new Snat(NatRange.to(address), false, false, false);
    }
  }

  /** {@code -j MASQUERADE [--to-ports P[-P]] [--random] [--random-fully]}. */
  record Masquerade(Optional<PortRange> ports, boolean random, boolean randomFully)
      implements Target {
    public static Masquerade plain() {
      return new Masquerade(Optional.empty(), false, false);
    }
  }

  /**
   * {@code -j REDIRECT [--to-ports P[-P]] [--random]}: DNAT to the incoming interface's address.
   */
  record Redirect(Optional<PortRange> ports, boolean random) implements Target {}

  /** {@code -j NOTRACK} (raw table): the packet is not tracked. */
  record NoTrack() implements Target {}

  /** {@code -j CT [--notrack] [--helper NAME] [--zone N]} (raw table). */
  record Ct(boolean notrack, Optional<String> helper, int zone) implements Target {
    public static Ct notrackOnly() {
      return new Ct(true, Optional.empty(), 0);
    }
  }

  /** {@code -j TRACE} (raw table): the packet's walk through the tables is traced. */
  record Trace() implements Target {}
}
