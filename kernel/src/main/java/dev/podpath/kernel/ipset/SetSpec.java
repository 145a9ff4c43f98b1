package dev.podpath.kernel.ipset;

import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpFamily;
import java.util.Optional;

/**
 * How a set was created ({@code ipset create NAME TYPE [family F] [hashsize N] [maxelem N] [timeout
 * S] [range P-P] [comment]}).
 *
 * @param timeout the default timeout of elements, in seconds; present when the set supports
 *     timeouts
 * @param range the port range of a {@code bitmap:port} set
 * @param comment whether members may carry a comment (the {@code comment} extension)
 */
public record SetSpec(
    String name,
    SetType type,
    IpFamily family,
    int hashSize,
    int maxElements,
    Optional<Long> timeout,
    Optional<PortRange> range,
    boolean comment) {

  /** The longest set name ({@code IPSET_MAXNAMELEN} - 1). */
  public static final int MAX_NAME_LENGTH = 31;

  public SetSpec {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "ipset: name must be 1.." + MAX_NAME_LENGTH + " characters");
    }
    if (type == SetType.BITMAP_PORT && range.isEmpty()) {
      throw new IllegalArgumentException("ipset: bitmap:port needs a range");
    }
    if (type != SetType.BITMAP_PORT && range.isPresent()) {
      throw new IllegalArgumentException("ipset: only bitmap:port takes a range");
    }
    if (hashSize < 64 || maxElements < 1) {
      throw new IllegalArgumentException("ipset: hashsize must be >= 64 and maxelem >= 1");
    }
    timeout.ifPresent(
        t -> {
          if (t < 0) {
            throw new IllegalArgumentException("ipset: timeout must not be negative");
          }
        });
  }

  /** A hash set with ipset's defaults (hashsize 1024, maxelem 65536, no timeout). */
  public static SetSpec hash(String name, SetType type, IpFamily family) {
    return new SetSpec(name, type, family, 1024, 65536, Optional.empty(), Optional.empty(), false);
  }

  public static SetSpec bitmapPort(String name, PortRange range) {
    return new SetSpec(
        name,
        SetType.BITMAP_PORT,
        IpFamily.IPV4,
        1024,
        65536,
        Optional.empty(),
        Optional.of(range),
        false);
  }

  public SetSpec withTimeout(long seconds) {
    return new SetSpec(
        name, type, family, hashSize, maxElements, Optional.of(seconds), range, comment);
  }

  /** This spec with the {@code comment} extension. */
  public SetSpec withComment() {
    return new SetSpec(name, type, family, hashSize, maxElements, timeout, range, true);
  }

  /** This spec under another name. */
  public SetSpec named(String newName) {
    return new SetSpec(newName, type, family, hashSize, maxElements, timeout, range, comment);
  }

  /**
   * The {@code Header:} line of {@code ipset list} (and the options of {@code ipset save}'s create
   * line). A hash set's {@code initval} is random in the kernel; podpath derives it from the name
   * so that output is reproducible.
   */
  public String header() {
    if (type == SetType.BITMAP_PORT) {
      return "range "
          + range.orElseThrow().low()
          + "-"
          + range.orElseThrow().high()
          + timeout.map(t -> " timeout " + t).orElse("")
          + (comment ? " comment" : "");
    }
    return "family "
        + (family == IpFamily.IPV4 ? "inet" : "inet6")
        + " hashsize "
        + hashSize
        + " maxelem "
        + maxElements
        + timeout.map(t -> " timeout " + t).orElse("")
        + (comment ? " comment" : "")
        + " bucketsize 12 initval "
        + String.format("0x%08x", name.hashCode());
  }
}
