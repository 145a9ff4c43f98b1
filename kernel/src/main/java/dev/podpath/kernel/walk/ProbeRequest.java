package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import java.util.Optional;

/**
 * The lab's {@code probe tcp|udp|icmp [from NS] [src ADDR] [sport PORT] to ADDR[:PORT] [count N |
 * explore]}: connection attempts from a process in {@code from}.
 *
 * @param src a forced source address (as a raw socket could); else the route's
 * @param sport a forced source port; else an ephemeral one per attempt
 * @param seed the seed of the sampled random choices
 */
public record ProbeRequest(
    Protocol protocol,
    NetNamespace from,
    Optional<IpAddress> src,
    Optional<Integer> sport,
    IpAddress dst,
    int dport,
    int count,
    boolean explore,
    long seed) {

  public ProbeRequest {
    // every protocol podpath models: tcp, udp, sctp (an INIT, then DATA), icmp and icmpv6
    java.util.Objects.requireNonNull(protocol, "probe: protocol");
    if (count < 1) {
      throw new IllegalArgumentException("probe: count must be at least 1, got " + count);
    }
    if (protocol.hasPorts() && (dport < 1 || dport > 65535)) {
      throw new IllegalArgumentException(
          "probe: a " + protocol.iptablesName() + " probe needs a port 1..65535, got " + dport);
    }
  }

  public static ProbeRequest tcp(NetNamespace from, IpAddress dst, int port) {
    return new ProbeRequest(
        Protocol.TCP, from, Optional.empty(), Optional.empty(), dst, port, 1, false, 1);
  }

  public static ProbeRequest udp(NetNamespace from, IpAddress dst, int port) {
    return new ProbeRequest(
        Protocol.UDP, from, Optional.empty(), Optional.empty(), dst, port, 1, false, 1);
  }

  public static ProbeRequest icmp(NetNamespace from, IpAddress dst) {
    return new ProbeRequest(
        dst.family() == dev.podpath.net.IpFamily.IPV4 ? Protocol.ICMP : Protocol.ICMPV6,
        from,
        Optional.empty(),
        Optional.empty(),
        dst,
        0,
        1,
        false,
        1);
  }

  public ProbeRequest src(IpAddress a) {
    return new ProbeRequest(
        protocol, from, Optional.of(a), sport, dst, dport, count, explore, seed);
  }

  public ProbeRequest sport(int p) {
    return new ProbeRequest(protocol, from, src, Optional.of(p), dst, dport, count, explore, seed);
  }

  public ProbeRequest count(int n) {
    return new ProbeRequest(protocol, from, src, sport, dst, dport, n, false, seed);
  }

  public ProbeRequest exploring() {
    return new ProbeRequest(protocol, from, src, sport, dst, dport, 1, true, seed);
  }

  public ProbeRequest seed(long s) {
    return new ProbeRequest(protocol, from, src, sport, dst, dport, count, explore, s);
  }
}
