package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.net.Chooser;
import dev.podpath.net.Exploration;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Ipv6Address;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.SampledChooser;
import dev.podpath.net.SctpChunk;
import dev.podpath.net.TcpFlag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends probes: connection attempts from a process in a namespace, each walked to its fate, with
 * the receiver's answer walked back to the client. Sampled probes use a seeded chooser; explored
 * probes run once per combination of random choices, rolling the world back between branches
 * ({@link World#snapshot()}), and give each outcome its exact probability.
 */
public final class Prober {

  /** Explorations stop with an error beyond this many branches. */
  public static final int MAX_BRANCHES = 100_000;

  private final World world;
  private final Walker walker;
  private final Map<NetNamespace, Integer> nextPort = new IdentityHashMap<>();

  public Prober(World world) {
    this.world = world;
    this.walker = new Walker(world);
  }

  public Walker walker() {
    return walker;
  }

  /** Runs the probe: {@code count} sampled attempts, or every branch when exploring. */
  public ProbeResult probe(ProbeRequest req) {
    if (req.explore()) {
      int sport = req.sport().orElseGet(() -> ephemeral(req.from()));
      var restore = world.snapshot();
      try {
        var branches =
            Exploration.explore(
                ch -> {
                  restore.run();
                  return attempt(req, ch, sport, 1.0);
                },
                MAX_BRANCHES);
        var attempts = new ArrayList<Attempt>();
        for (var b : branches) {
          var a = b.result();
          attempts.add(
              new Attempt(
                  a.fate(), a.delivery(), a.answered(), a.forward(), a.reply(), b.probability()));
        }
        return new ProbeResult(req, attempts, true);
      } finally {
        restore.run();
      }
    }
    var chooser = new SampledChooser(req.seed());
    var attempts = new ArrayList<Attempt>();
    for (int i = 0; i < req.count(); i++) {
      int sport = req.sport().orElseGet(() -> ephemeral(req.from()));
      attempts.add(attempt(req, chooser, sport, 1.0));
    }
    return new ProbeResult(req, attempts, false);
  }

  /** Opens a connection (its first packet is an attempt) to send later packets on the same flow. */
  public Connection connect(ProbeRequest req) {
    int sport = req.sport().orElseGet(() -> ephemeral(req.from()));
    var chooser = new SampledChooser(req.seed());
    return new Connection(this, req, sport, chooser, attempt(req, chooser, sport, 1.0));
  }

  /** The next ephemeral port of {@code ns}, from its {@code ip_local_port_range}. */
  private int ephemeral(NetNamespace ns) {
    var range = ns.sysctls().get("net.ipv4.ip_local_port_range").split("\t");
    int low = Integer.parseInt(range[0]);
    int high = Integer.parseInt(range[1]);
    int next =
        nextPort.getOrDefault(
            ns, low + Math.floorMod(ns.where().hashCode(), Math.max(1, (high - low) / 2)));
    nextPort.put(ns, next >= high ? low : next + 1);
    return next;
  }

  Attempt attempt(ProbeRequest req, Chooser chooser, int sport, double probability) {
    return send(req, chooser, sport, true, probability);
  }

  /** Sends the first packet of the flow (or a later one) and walks the answer back. */
  Attempt send(ProbeRequest req, Chooser chooser, int sport, boolean first, double probability) {
    var from = req.from();
    IpAddress src =
        req.src()
            .or(() -> from.routing().lookup(req.dst()).flatMap(d -> d.source()))
            .orElse(req.dst().family() == IpFamily.IPV4 ? Ipv4Address.ANY : Ipv6Address.ANY);
    Packet p =
        switch (req.protocol()) {
          case TCP ->
              first
                  ? Packet.tcpSyn(src, sport, req.dst(), req.dport())
                  : Packet.builder()
                      .src(src)
                      .dst(req.dst())
                      .protocol(Protocol.TCP)
                      .srcPort(sport)
                      .dstPort(req.dport())
                      .tcpFlags(EnumSet.of(TcpFlag.ACK))
                      .build();
          case UDP -> Packet.udp(src, sport, req.dst(), req.dport());
          case SCTP ->
              Packet.sctp(
                  src, sport, req.dst(), req.dport(), first ? SctpChunk.INIT : SctpChunk.DATA);
          default -> Packet.echoRequest(src, req.dst(), sport);
        };
    var exp =
        new Expectation(
            from,
            p.protocol(),
            src,
            req.protocol().hasPorts() ? sport : 0,
            req.dst(),
            req.dport(),
            sport);
    var out = walker.send(from, p, chooser, Optional.of(exp));
    Optional<dev.podpath.net.trace.Trace> back = Optional.empty();
    boolean answered = false;
    if (out.response().isPresent() && out.responder().isPresent()) {
      var reply =
          walker.send(out.responder().get(), out.response().get(), chooser, Optional.of(exp));
      back = Optional.of(reply.trace());
      answered = reply.answered();
    }
    return new Attempt(out.fate(), out.delivery(), answered, out.trace(), back, probability);
  }

  /** An open flow: later packets reuse its addresses and ports (and so its conntrack entry). */
  public static final class Connection {
    private final Prober prober;
    private final ProbeRequest request;
    private final int sport;
    private final Chooser chooser;
    private final Attempt first;

    Connection(Prober prober, ProbeRequest request, int sport, Chooser chooser, Attempt first) {
      this.prober = prober;
      this.request = request;
      this.sport = sport;
      this.chooser = chooser;
      this.first = first;
    }

    public Attempt first() {
      return first;
    }

    public int sourcePort() {
      return sport;
    }

    /** Sends the flow's next packet (a TCP ACK, or another datagram). */
    public Attempt next() {
      return prober.send(request, chooser, sport, false, 1.0);
    }
  }
}
