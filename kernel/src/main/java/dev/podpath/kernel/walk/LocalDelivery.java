package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Ipip;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Step;
import java.util.Comparator;

/**
 * The end of the input path: a packet for this namespace reaches a VXLAN device's UDP port, the
 * probe's waiting client, the kernel's echo responder, or a listening socket; else TCP answers RST
 * and UDP ICMP port unreachable.
 */
final class LocalDelivery {

  private LocalDelivery() {}

  /**
   * A protocol-4 packet for this namespace: the up ipip tunnel that matches its endpoints best
   * takes off the outer header and receives the inner packet ({@code ipip_rcv}). With none, the
   * sender gets ICMP port unreachable when the ipip module is loaded ({@code tunnel4_rcv}) and
   * protocol unreachable when nothing handles protocol 4 (checked on Linux 6.18, which has no
   * ipip).
   */
  private static void decapsulate(Walk w, NetNamespace ns, Packet p, L2 l2) {
    var tunnel =
        ns.links().stream()
            .filter(l -> l instanceof Ipip)
            .map(l -> (Ipip) l)
            .filter(t -> t.adminUp() && t.matchRank(p.src(), p.dst()) >= 0)
            .max(Comparator.comparingInt((Ipip t) -> t.matchRank(p.src(), p.dst())));
    if (tunnel.isPresent() && p.inner().isPresent()) {
      w.step(new Step.Note("ipip: " + tunnel.get().name() + " decapsulates " + p.inner().get()));
      l2.receiveTunnelled(w, tunnel.get(), p.inner().get());
      return;
    }
    boolean module = ns.host().ipipLoaded();
    int code = module ? 3 : 2;
    w.end(
        Fate.DROPPED,
        module
            ? "ipip: no tunnel that is up takes " + p.src() + " -> " + p.dst()
            : "protocol 4 (IP in IP) has no handler here (no ipip tunnel: the module is not loaded)");
    Answers.icmpError(ns, p, 3, code).ifPresent(e -> w.respond(e, ns));
  }

  static void deliver(Walk w, NetNamespace ns, Packet p, L2 l2) {
    if (p.protocol() == Protocol.IPENCAP) {
      decapsulate(w, ns, p, l2);
      return;
    }
    if (p.protocol() == Protocol.UDP && !w.tunnel.isEmpty()) {
      for (var l : ns.links()) {
        if (l instanceof Vxlan x
            && x.dstPort() == p.dstPort()
            && x.vni() == w.tunnel.peek().vni()) {
          var inner = w.tunnel.pop();
          w.step(new Step.Note("vxlan: decapsulated VNI " + inner.vni() + " on " + x.name()));
          l2.receiveFrame(w, x, inner.frame());
          return;
        }
      }
    }
    if (w.expectation.isPresent()
        && w.expectation.get().namespace() == ns
        && w.expectation.get().answeredBy(p)) {
      w.step(new Step.Deliver("client " + w.expectation.get().local() + " (the probe's socket)"));
      w.answered();
      return;
    }
    boolean v4 = p.family() == dev.podpath.net.IpFamily.IPV4;
    if (p.protocol() == Protocol.ICMP || p.protocol() == Protocol.ICMPV6) {
      if (p.icmpType() == (v4 ? 8 : 128)
          && ns.sysctls().intOf("net.ipv4.icmp_echo_ignore_all") == 0) {
        w.step(new Step.Deliver("icmp echo"));
        w.deliver(
            new Delivery(ns.hostName(), ns.name(), ns.where(), p.dst(), 0, p.src(), 0, "icmp echo"),
            Answers.echoReply(p),
            ns);
        return;
      }
      w.end(Fate.DROPPED, "no one is waiting for " + p);
      return;
    }
    var listener = ns.sockets().find(p.protocol(), p.dst(), p.dstPort());
    boolean opening =
        p.protocol() != Protocol.TCP
            || (p.tcpFlags().contains(TcpFlag.SYN) && !p.tcpFlags().contains(TcpFlag.ACK));
    if (listener.isPresent() && opening) {
      var l = listener.get();
      w.step(new Step.Deliver(l.toString()));
      w.deliver(
          new Delivery(
              ns.hostName(),
              ns.name(),
              ns.where(),
              p.dst(),
              p.dstPort(),
              p.src(),
              p.srcPort(),
              l.toString()),
          Answers.fromSocket(p),
          ns);
      return;
    }
    if (listener.isPresent()) {
      // a later segment of an accepted connection
      w.step(new Step.Deliver(listener.get().toString()));
      w.deliver(
          new Delivery(
              ns.hostName(),
              ns.name(),
              ns.where(),
              p.dst(),
              p.dstPort(),
              p.src(),
              p.srcPort(),
              listener.get().toString()),
          null,
          ns);
      return;
    }
    if (p.protocol() == Protocol.TCP) {
      if (p.tcpFlags().contains(TcpFlag.RST)) {
        w.end(Fate.DROPPED, "RST for no socket is ignored");
        return;
      }
      w.end(Fate.REFUSED, "no socket on " + p.dst() + ":" + p.dstPort() + ": TCP answers RST");
      w.respond(Answers.reset(p), ns);
      return;
    }
    if (p.protocol() == Protocol.SCTP) {
      // an out-of-the-blue packet: the SCTP control socket answers ABORT (RFC 4960 8.4)
      w.end(Fate.REFUSED, "no socket on " + p.dst() + ":" + p.dstPort() + ": SCTP answers ABORT");
      w.respond(Answers.abort(p), ns);
      return;
    }
    w.end(Fate.REFUSED, "no socket on " + p.dst() + ":" + p.dstPort() + ": ICMP port unreachable");
    Answers.icmpError(ns, p, v4 ? 3 : 1, v4 ? 3 : 4).ifPresent(e -> w.respond(e, ns));
  }
}
