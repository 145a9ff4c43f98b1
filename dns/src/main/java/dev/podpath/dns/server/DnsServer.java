package dev.podpath.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * A real DNS server on UDP and TCP (same port) in front of a {@link ClusterDns}. It binds to
 * loopback unless told otherwise. Memory stays bounded under floods and garbage: a fixed set of UDP
 * threads take turns receiving on one socket, each with one buffer, so excess datagrams are dropped
 * by the kernel (no queue grows); TCP connections are capped, each read with an idle timeout and a
 * 2-byte length limit. A datagram that does not parse gets FORMERR when its header is readable and
 * is dropped otherwise; responses are never answered.
 */
public final class DnsServer implements AutoCloseable {

  /** Limits: UDP reader threads, concurrent TCP connections, TCP idle timeout. */
  public record Limits(int udpThreads, int maxTcpConnections, int tcpIdleMillis, int memoEntries) {
    public static final Limits DEFAULT =
        new Limits(Math.max(2, Runtime.getRuntime().availableProcessors()), 256, 10_000, 100_000);

    /** These limits with {@code n} remembered answers (0: compute every answer). */
    public Limits withMemoEntries(int n) {
      return new Limits(udpThreads, maxTcpConnections, tcpIdleMillis, n);
    }
  }

  /** Counters since start. */
  public record Stats(long queries, long malformed, long tcpRefused) {}

  private final ClusterDns dns;
  private final List<DatagramChannel> udp = new ArrayList<>();
  private final ServerSocketChannel tcp;
  private final List<Thread> threads = new ArrayList<>();
  private final java.util.Set<SocketChannel> connections =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Semaphore tcpSlots;
  private final Limits limits;
  private final AnswerMemo memo;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong tcpRefused = new AtomicLong();
  private volatile boolean closed;

  private DnsServer(ClusterDns dns, InetSocketAddress listen, Limits limits) throws IOException {
    this.dns = dns;
    this.limits = limits;
    this.tcpSlots = new Semaphore(limits.maxTcpConnections());
    this.memo = new AnswerMemo(limits.memoEntries());
    var family =
        listen.getAddress() instanceof java.net.Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET;
    DatagramChannel channel = DatagramChannel.open(family);
    channel.bind(listen);
    udp.add(channel);
    InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
    tcp = ServerSocketChannel.open(family);
    tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    try {
      tcp.bind(bound, 128);
    } catch (IOException e) {
      tcp.close();
      for (DatagramChannel ch : udp) {
        ch.close();
      }
      throw e;
    }
  }

  /**
   * Starts serving {@code dns} on {@code listen}. Port 0 picks a port free for both UDP and TCP
   * (retrying when the UDP port's TCP twin is taken).
   */
  public static DnsServer start(ClusterDns dns, InetSocketAddress listen, Limits limits)
      throws IOException {
    DnsServer bound = null;
    for (int attempt = 0; bound == null; attempt++) {
      try {
        bound = new DnsServer(dns, listen, limits);
      } catch (java.net.BindException e) {
        if (listen.getPort() != 0 || attempt >= 20) {
          throw e;
        }
      }
    }
    DnsServer s = bound;
    DatagramChannel ch = s.udp.get(0);
    for (int n = 0; n < Math.max(1, limits.udpThreads()); n++) {
      s.threads.add(Thread.ofPlatform().daemon().name("dns-udp-" + n).start(() -> s.serveUdp(ch)));
    }
    s.threads.add(Thread.ofPlatform().daemon().name("dns-tcp-accept").start(s::acceptTcp));
    return s;
  }

  /** The address both sockets are bound to. */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) udp.get(0).getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("server socket closed", e);
    }
  }

  public Stats stats() {
    return new Stats(queries.get(), malformed.get(), tcpRefused.get());
  }

  private void serveUdp(DatagramChannel ch) {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    while (!closed) {
      try {
        buf.clear();
        SocketAddress from = ch.receive(buf);
        buf.flip();
        byte[] in = new byte[buf.remaining()];
        buf.get(in);
        byte[] out = respond(in, false);
        if (out != null) {
          ch.send(ByteBuffer.wrap(out), from);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // One bad datagram or send failure must not stop the server.
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        SocketChannel conn = tcp.accept();
        if (!tcpSlots.tryAcquire()) {
          tcpRefused.incrementAndGet();
          conn.close();
          continue;
        }
        connections.add(conn);
        if (closed) {
          conn.close();
        }
        Thread.ofVirtual()
            .start(
                () -> {
                  try (conn) {
                    serveTcp(conn);
                  } catch (IOException | RuntimeException e) {
                    // Connection dropped or timed out.
                  } finally {
                    connections.remove(conn);
                    tcpSlots.release();
                  }
                });
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // Accept failure (e.g. out of descriptors): keep serving.
      }
    }
  }

  private void serveTcp(SocketChannel conn) throws IOException {
    var socket = conn.socket();
    socket.setSoTimeout(limits.tcpIdleMillis());
    var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    var out = socket.getOutputStream();
    while (!closed) {
      int length;
      try {
        length = in.readUnsignedShort();
      } catch (java.io.EOFException e) {
        return;
      }
      byte[] query = in.readNBytes(length);
      if (query.length < length) {
        return;
      }
      byte[] response = respond(query, true);
      if (response == null) {
        return;
      }
      byte[] framed = new byte[response.length + 2];
      framed[0] = (byte) (response.length >>> 8);
      framed[1] = (byte) response.length;
      System.arraycopy(response, 0, framed, 2, response.length);
      out.write(framed);
      out.flush();
    }
  }

  /** The wire response to {@code in}, or null when nothing should be sent. */
  byte[] respond(byte[] in, boolean overTcp) {
    long generation = dns.generation();
    var remembered = memo.get(in, overTcp, generation);
    if (remembered.isPresent()) {
      queries.incrementAndGet();
      return remembered.get();
    }
    Message query;
    try {
      query = new Message(in);
    } catch (IOException | RuntimeException e) {
      malformed.incrementAndGet();
      return formErr(in);
    }
    if (query.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
      malformed.incrementAndGet();
      return null;
    }
    queries.incrementAndGet();
    Message response;
    boolean clusterOnly = false;
    try {
      ClusterDns.Answered answered = dns.answer(query);
      response = answered.response();
      clusterOnly = answered.clusterOnly();
    } catch (RuntimeException e) {
      response = ClusterDns.error(query, org.xbill.DNS.Rcode.SERVFAIL);
    }
    byte[] wire = WireFormat.encode(response, overTcp ? 65535 : maxUdp(query));
    if (clusterOnly) {
      memo.put(in, overTcp, wire, generation);
    }
    return wire;
  }

  private static int maxUdp(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), 4096));
  }

  private static byte[] formErr(byte[] in) {
    if (in.length < 12 || (in[2] & 0x80) != 0) {
      return null;
    }
    byte[] out = new byte[12];
    out[0] = in[0];
    out[1] = in[1];
    out[2] = (byte) (0x80 | (in[2] & 0x79));
    out[3] = 1;
    return out;
  }

  @Override
  public void close() {
    closed = true;
    for (DatagramChannel ch : udp) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    // Open connections end with the server: a client that pools TCP connections (dnsjava does)
    // must not be answered by a closed server whose port a new one has reused.
    for (SocketChannel conn : connections) {
      try {
        conn.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
