package dev.podpath.kube.alloc;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * The ClusterIP allocator of one service CIDR ({@code ipallocator}): the network and broadcast
 * addresses are never handed out; dynamic allocation picks a random free address of the upper band
 * first, leaving the lower band (min(max(16, size/16), 256) addresses) for static IPs.
 */
final class IpRange {

  private final IpPrefix cidr;
  private final long size;
  private final long lowerBand;
  private final TreeSet<Long> used = new TreeSet<>();
  private final Random random;

  IpRange(IpPrefix cidr, Random random) {
    this.cidr = cidr.masked();
    this.random = random;
    int hostBits = cidr.family().bits() - cidr.length();
    BigInteger total = BigInteger.ONE.shiftLeft(Math.min(hostBits, 62));
    long usable = total.longValue() - (cidr.family().bits() == 32 ? 2 : 1);
    this.size = Math.max(usable, 0);
    this.lowerBand = Math.min(Math.max(16, size / 16), 256);
  }

  IpPrefix cidr() {
    return cidr;
  }

  boolean contains(IpAddress ip) {
    return cidr.contains(ip) && offset(ip) >= 1 && offset(ip) <= size;
  }

  boolean isUsed(IpAddress ip) {
    return used.contains(offset(ip));
  }

  /** Marks a specific address used. */
  void allocate(IpAddress ip) {
    used.add(offset(ip));
  }

  void release(IpAddress ip) {
    if (cidr.contains(ip)) {
      used.remove(offset(ip));
    }
  }

  /** A free address: random in the upper band, else the lower band; empty when full. */
  Optional<IpAddress> next() {
    if (used.size() >= size) {
      return Optional.empty();
    }
    long from = size > lowerBand ? lowerBand + 1 : 1;
    for (long[] band : new long[][] {{from, size}, {1, from - 1}}) {
      long span = band[1] - band[0] + 1;
      if (span <= 0) {
        continue;
      }
      long start = band[0] + Math.floorMod(random.nextLong(), span);
      for (long i = 0; i < span; i++) {
        long off = band[0] + Math.floorMod(start - band[0] + i, span);
        if (!used.contains(off)) {
          used.add(off);
          return Optional.of(at(off));
        }
      }
    }
    return Optional.empty();
  }

  /** The first usable address ({@code .1}): the {@code kubernetes} Service's. */
  IpAddress first() {
    return at(1);
  }

  private long offset(IpAddress ip) {
    return ip.toBigInteger().subtract(cidr.network().toBigInteger()).longValue();
  }

  private IpAddress at(long offset) {
    BigInteger v = cidr.network().toBigInteger().add(BigInteger.valueOf(offset));
    return IpAddress.fromBigInteger(cidr.family(), v);
  }
}
