package dev.podpath.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

class DnsServerTest {

  private DnsServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        DnsServer.start(
            Shop.dns(Shop.cluster(), Optional.empty()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new DnsServer.Limits(2, 4, 2000, 1000));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Message ask(String name) throws IOException {
    SimpleResolver r = new SimpleResolver(server.address());
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Shop.a(name));
  }

  @Test
  void bindsToLoopbackAndAnswersOverUdpAndTcp() throws IOException {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(ask("web.shop.svc.cluster.local").getSection(Section.ANSWER)).hasSize(1);
    SimpleResolver tcp = new SimpleResolver(server.address());
    tcp.setTCP(true);
    assertThat(tcp.send(Shop.a("db-0.db.shop.svc.cluster.local")).getSection(Section.ANSWER))
        .hasSize(1);
  }

  @Test
  void rememberedAnswersAreForgottenWhenTheClusterChanges() throws IOException {
    var cluster = Shop.cluster();
    try (DnsServer s =
        DnsServer.start(
            Shop.dns(cluster, Optional.empty()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new DnsServer.Limits(2, 4, 2000, 1000))) {
      SimpleResolver r = new SimpleResolver(s.address());
      assertThat(r.send(Shop.a("api.shop.svc.cluster.local")).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(r.send(Shop.a("api.shop.svc.cluster.local")).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      cluster.apply(
          Shop.service(
              "{apiVersion: v1, kind: Service, metadata: {name: api, namespace: shop},"
                  + " spec: {clusterIP: 10.96.0.30, ports: [{name: http, port: 80, protocol: TCP}]}}"));
      Message after = r.send(Shop.a("api.shop.svc.cluster.local"));
      assertThat(after.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(after.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("10.96.0.30");
    }
  }

  @Test
  void aLargeHeadlessAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
    var cluster = Shop.cluster();
    StringBuilder eps = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      eps.append(i > 1 ? ", " : "").append("{addresses: [10.250.0.").append(i).append("]}");
    }
    cluster.apply(
        Shop.service(
            "{apiVersion: v1, kind: Service, metadata: {name: big, namespace: shop},"
                + " spec: {clusterIP: None, ports: [{name: http, port: 80, protocol: TCP}]}}"));
    cluster.apply(
        Shop.slice(
            "{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: big-1,"
                + " namespace: shop, labels: {kubernetes.io/service-name: big}}, addressType: IPv4,"
                + " ports: [{name: http, port: 80, protocol: TCP}], endpoints: ["
                + eps
                + "]}"));
    try (DnsServer s =
        DnsServer.start(
            Shop.dns(cluster, Optional.empty()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new DnsServer.Limits(2, 4, 2000, 1000))) {
      byte[] query = Shop.a("big.shop.svc.cluster.local").toWire();
      try (DatagramSocket u = new DatagramSocket()) {
        u.setSoTimeout(3000);
        u.send(new DatagramPacket(query, query.length, s.address()));
        byte[] buf = new byte[65535];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        u.receive(reply);
        assertThat(reply.getLength()).isLessThanOrEqualTo(512);
        Message m = new Message(java.util.Arrays.copyOf(buf, reply.getLength()));
        assertThat(m.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
      }
      SimpleResolver tcp = new SimpleResolver(s.address());
      tcp.setTCP(true);
      assertThat(tcp.send(Shop.a("big.shop.svc.cluster.local")).getSection(Section.ANSWER))
          .hasSize(100);
    }
  }

  @Test
  void survivesGarbageAndAnswersFormErrWhenTheHeaderIsReadable() throws IOException {
    Random random = new Random(42);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(500);
      for (int i = 0; i < 2000; i++) {
        byte[] junk = new byte[random.nextInt(600)];
        random.nextBytes(junk);
        if (junk.length > 2) {
          junk[2] &= 0x7f;
        }
        s.send(new DatagramPacket(junk, junk.length, server.address()));
      }
      byte[] header = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05};
      byte[] buf = new byte[512];
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      boolean answered = false;
      for (int attempt = 0; attempt < 5 && !answered; attempt++) {
        s.send(new DatagramPacket(header, header.length, server.address()));
        try {
          do {
            s.receive(reply);
          } while (buf[0] != 0x12 || buf[1] != 0x34);
          answered = true;
        } catch (java.net.SocketTimeoutException e) {
          // The flood may have filled the server's socket buffer: the kernel dropped the probe.
        }
      }
      assertThat(answered).isTrue();
      assertThat(buf[3] & 0x0f).isEqualTo(Rcode.FORMERR);
    }
    assertThat(server.stats().malformed()).isGreaterThan(0);
    assertThat(ask("web.shop.svc.cluster.local").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aFloodOfTcpConnectionsIsCappedAndTheServerKeepsAnswering() throws IOException {
    Socket[] held = new Socket[20];
    for (int i = 0; i < held.length; i++) {
      held[i] = new Socket(server.address().getAddress(), server.address().getPort());
    }
    try {
      assertThat(ask("web.shop.svc.cluster.local").getRcode()).isEqualTo(Rcode.NOERROR);
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (server.stats().tcpRefused() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(server.stats().tcpRefused()).isGreaterThan(0);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aTcpLengthPrefixLongerThanTheDataEndsOnlyThatConnection() throws IOException {
    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
      s.shutdownOutput();
      assertThat(new DataInputStream(s.getInputStream()).read()).isEqualTo(-1);
    }
    assertThat(ask("web.shop.svc.cluster.local").getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void closingTheServerEndsItsOpenTcpConnections() throws IOException {
    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(5000);
      byte[] query = Shop.a("web.shop.svc.cluster.local").toWire();
      var out = new java.io.DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      var in = new DataInputStream(s.getInputStream());
      in.readFully(new byte[in.readUnsignedShort()]);
      server.close();
      // A pooled connection must not outlive its server: the next read sees the end, not an
      // answer from a server that is gone.
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
