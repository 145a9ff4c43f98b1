package dev.podpath.net;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One IP packet's headers: what netfilter matches on and NAT rewrites. Immutable; the {@code with}
 * methods and the {@link Builder} make changed copies. An ICMP error carries the header of the
 * packet it reports on ({@link #inner()}), as conntrack needs to relate it to its connection.
 *
 * @param tcpFlags the set TCP flags (empty for other protocols)
 * @param icmpType the ICMP type, or -1 when not ICMP
 * @param icmpCode the ICMP code, or -1 when not ICMP
 * @param icmpId the ICMP echo identifier (conntrack keys echo on it), 0 otherwise
 * @param sctpChunks the chunks of an SCTP packet, in order (empty for other protocols)
 */
public record Packet(
    IpAddress src,
    IpAddress dst,
    Protocol protocol,
    int srcPort,
    int dstPort,
    Set<TcpFlag> tcpFlags,
    int icmpType,
    int icmpCode,
    int icmpId,
    int ttl,
    int length,
    Optional<Packet> inner,
    List<SctpChunk> sctpChunks) {

  public Packet {
    if (src.family() != dst.family()) {
      throw new IllegalArgumentException(
          "packet: src " + src + " and dst " + dst + " differ in family");
    }
    if (srcPort < 0 || srcPort > 65535 || dstPort < 0 || dstPort > 65535) {
      throw new IllegalArgumentException("packet: ports must be 0..65535");
    }
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("packet: ttl must be 0..255, got " + ttl);
    }
    tcpFlags = tcpFlags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(tcpFlags));
    sctpChunks = List.copyOf(sctpChunks);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A TCP SYN, the first packet of a connection. */
  public static Packet tcpSyn(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
    return builder()
        .src(src)
        .dst(dst)
        .protocol(Protocol.TCP)
        .srcPort(srcPort)
        .dstPort(dstPort)
        .tcpFlags(EnumSet.of(TcpFlag.SYN))
        .build();
  }

  public static Packet udp(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
    return builder()
        .src(src)
        .dst(dst)
        .protocol(Protocol.UDP)
        .srcPort(srcPort)
        .dstPort(dstPort)
        .build();
  }

  /** An SCTP packet carrying one chunk ({@link SctpChunk#INIT} opens an association). */
  public static Packet sctp(IpAddress src, int srcPort, IpAddress dst, int dstPort, int chunkType) {
    return builder()
        .src(src)
        .dst(dst)
        .protocol(Protocol.SCTP)
        .srcPort(srcPort)
        .dstPort(dstPort)
        .sctpChunks(List.of(SctpChunk.of(chunkType)))
        .build();
  }

  /** An ICMP (or ICMPv6) echo request. */
  public static Packet echoRequest(IpAddress src, IpAddress dst, int id) {
    boolean v4 = src.family() == IpFamily.IPV4;
    return builder()
        .src(src)
        .dst(dst)
        .protocol(v4 ? Protocol.ICMP : Protocol.ICMPV6)
        .icmpType(v4 ? 8 : 128)
        .icmpCode(0)
        .icmpId(id)
        .build();
  }

  public IpFamily family() {
    return src.family();
  }

  public Packet withSrc(IpAddress a, int port) {
    return toBuilder().src(a).srcPort(port).build();
  }

  public Packet withDst(IpAddress a, int port) {
    return toBuilder().dst(a).dstPort(port).build();
  }

  public Packet withTtl(int newTtl) {
    return toBuilder().ttl(newTtl).build();
  }

  public Builder toBuilder() {
    var b = new Builder();
    b.src = src;
    b.dst = dst;
    b.protocol = protocol;
    b.srcPort = srcPort;
    b.dstPort = dstPort;
    b.tcpFlags = tcpFlags.isEmpty() ? EnumSet.noneOf(TcpFlag.class) : EnumSet.copyOf(tcpFlags);
    b.icmpType = icmpType;
    b.icmpCode = icmpCode;
    b.icmpId = icmpId;
    b.ttl = ttl;
    b.length = length;
    b.inner = inner.orElse(null);
    b.sctpChunks = sctpChunks;
    return b;
  }

  /** Short text for traces: {@code tcp 10.0.0.1:40000 -> 10.96.0.10:80 [SYN]}. */
  @Override
  public String toString() {
    var sb = new StringBuilder(protocol.iptablesName()).append(' ');
    if (protocol.hasPorts()) {
      sb.append(hostPort(src, srcPort)).append(" -> ").append(hostPort(dst, dstPort));
      if (!tcpFlags.isEmpty()) {
        sb.append(' ').append(tcpFlags.stream().sorted().map(Enum::name).toList());
      }
    } else {
      sb.append(src).append(" -> ").append(dst);
      if (icmpType >= 0) {
        sb.append(" type ").append(icmpType).append(" code ").append(icmpCode);
      }
    }
    return sb.toString();
  }

  private static String hostPort(IpAddress a, int port) {
    return (a.family() == IpFamily.IPV6 ? "[" + a + "]" : a.toString()) + ":" + port;
  }

  /** Builds a packet; defaults: TTL 64, length 60, no ports, no flags, not ICMP. */
  public static final class Builder {
    private @Nullable IpAddress src;
    private @Nullable IpAddress dst;
    private Protocol protocol = Protocol.TCP;
    private int srcPort;
    private int dstPort;
    private EnumSet<TcpFlag> tcpFlags = EnumSet.noneOf(TcpFlag.class);
    private int icmpType = -1;
    private int icmpCode = -1;
    private int icmpId;
    private int ttl = 64;
    private int length = 60;
    private @Nullable Packet inner;
    private List<SctpChunk> sctpChunks = List.of();

    public Builder src(IpAddress v) {
      src = v;
      return this;
    }

    public Builder dst(IpAddress v) {
      dst = v;
      return this;
    }

    public Builder protocol(Protocol v) {
      protocol = v;
      return this;
    }

    public Builder srcPort(int v) {
      srcPort = v;
      return this;
    }

    public Builder dstPort(int v) {
      dstPort = v;
      return this;
    }

    public Builder tcpFlags(Set<TcpFlag> v) {
      tcpFlags = v.isEmpty() ? EnumSet.noneOf(TcpFlag.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder icmpType(int v) {
      icmpType = v;
      return this;
    }

    public Builder icmpCode(int v) {
      icmpCode = v;
      return this;
    }

    public Builder icmpId(int v) {
      icmpId = v;
      return this;
    }

    public Builder ttl(int v) {
      ttl = v;
      return this;
    }

    public Builder length(int v) {
      length = v;
      return this;
    }

    public Builder inner(@Nullable Packet v) {
      inner = v;
      return this;
    }

    public Builder sctpChunks(List<SctpChunk> v) {
      sctpChunks = List.copyOf(v);
      return this;
    }

    public Packet build() {
      if (src == null || dst == null) {
        throw new IllegalStateException("packet: src and dst are required");
      }
      return new Packet(
          src,
          dst,
          protocol,
          srcPort,
          dstPort,
          tcpFlags,
          icmpType,
          icmpCode,
          icmpId,
          ttl,
          length,
          Optional.ofNullable(inner),
          sctpChunks);
    }
  }
}
