package dev.podpath.kernel.ipvs;

import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Priority;
import dev.podpath.kernel.path.Restorable;
import dev.podpath.kernel.path.Tuple;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import dev.podpath.net.trace.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * IPVS in one namespace: virtual services, real servers, the connection table and persistence
 * templates, and its hook functions: at LOCAL_IN (priority 98, after filter INPUT) for packets
 * arriving for a virtual address, and at LOCAL_OUT (-98) for local clients. A new connection is
 * scheduled; a later packet follows its entry. For NAT ({@code Masq}) the destination is rewritten
 * and the translation recorded in the packet's conntrack entry (its reply tuple), so the replies
 * are un-NATed; IPVS then sends the packet on itself (verdict stolen). Direct routing leaves the
 * packet as is and sends it to the real server as next hop; tunnelling wraps it in IP-in-IP to the
 * real server ({@code ip_vs_tunnel_xmit}: the walker builds the outer header and sends it as a
 * local packet). With no available server the client gets ICMP port unreachable ({@code
 * ip_vs_leave}).
 */
public final class Ipvs implements Restorable {

  /**
   * The connection timeouts {@code ipvsadm --set TCP TCPFIN UDP} sets: how long an established TCP
   * connection, a TCP connection after its FIN, and a UDP "connection" live after their last
   * packet.
   */
  public record Timeouts(Duration tcp, Duration tcpFin, Duration udp) {
    public Timeouts {
      for (Duration d : List.of(tcp, tcpFin, udp)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("timeouts: must be positive, got " + d);
        }
      }
    }
  }

  /** The kernel's defaults ({@code ipvsadm -L --timeout}): tcp 900 s, tcpfin 120 s, udp 300 s. */
  public static final Timeouts DEFAULT_TIMEOUTS =
      new Timeouts(Duration.ofSeconds(900), Duration.ofSeconds(120), Duration.ofSeconds(300));

  private final NamespaceView view;
  private final TreeMap<ServiceKey, VirtualService> services = new TreeMap<>();
  private Map<IpvsConnection.Key, Conn> connections = new HashMap<>();
  private Map<IpvsConnection.Key, Conn> byReply = new HashMap<>();
  private Map<String, Template> templates = new HashMap<>();
  private Timeouts timeouts = DEFAULT_TIMEOUTS;

  private record Conn(IpvsConnection entry, RealServer server) {}

  private record Template(RealServer server, long expiresNanos) {}

  public Ipvs(NamespaceView view, HookTable hooks) {
    this.view = view;
    hooks.register(Hook.INPUT, Priority.IPVS_LOCAL_IN, "ip_vs_reply4", this::reply);
    hooks.register(Hook.INPUT, Priority.IPVS_LOCAL_IN, "ip_vs_remote_request4", this::incoming);
    hooks.register(Hook.OUTPUT, Priority.IPVS_LOCAL_OUT, "ip_vs_local_request4", this::incoming);
    hooks.register(Hook.FORWARD, Priority.IPVS_FORWARD, "ip_vs_reply4", this::reply);
  }

  // ---------------------------------------------------------------- configuration (ipvsadm)

  /** {@code ipvsadm -A}. */
  public void addService(
      ServiceKey key, Scheduler scheduler, Optional<Integer> persistence, int persistenceMask) {
    if (services.containsKey(key)) {
      throw new IpvsException("Service already exists");
    }
    services.put(key, new VirtualService(key, scheduler, persistence, persistenceMask));
  }

  /** {@code ipvsadm -E}. */
  public void editService(
      ServiceKey key, Scheduler scheduler, Optional<Integer> persistence, int persistenceMask) {
    var s = service(key);
    s.scheduler = scheduler;
    s.persistence = persistence;
    s.persistenceMask = persistenceMask;
  }

  /** {@code ipvsadm -D}. */
  public void deleteService(ServiceKey key) {
    service(key).servers.forEach(r -> r.removed = true);
    services.remove(key);
  }

  /** {@code ipvsadm -C}. */
  public void clear() {
    services.values().forEach(s -> s.servers.forEach(r -> r.removed = true));
    services.clear();
  }

  /** {@code ipvsadm -a}. */
  public void addServer(
      ServiceKey key, IpAddress address, int port, ForwardMethod method, int weight) {
    var s = services.get(key);
    if (s == null) {
      throw new IpvsException("Service not defined");
    }
    if (find(s, address, port).isPresent()) {
      throw new IpvsException("Destination already exists");
    }
    checkWeight(weight);
    s.servers.add(new RealServer(address, port, method, weight));
  }

  /** {@code ipvsadm -e}: a weight of 0 quiesces the server (no new connections). */
  public void editServer(
      ServiceKey key, IpAddress address, int port, ForwardMethod method, int weight) {
    var r =
        find(service(key), address, port)
            .orElseThrow(() -> new IpvsException("No such destination"));
    checkWeight(weight);
    r.method = method;
    r.weight = weight;
  }

  /**
   * {@code ipvsadm -d}: the server takes no new connections; established ones keep it until they
   * expire ({@code expire_nodest_conn=0}).
   */
  public void deleteServer(ServiceKey key, IpAddress address, int port) {
    var s = service(key);
    var r = find(s, address, port).orElseThrow(() -> new IpvsException("No such destination"));
    r.removed = true;
    s.servers.remove(r);
    if (s.last >= s.servers.size()) {
      s.last = -1;
    }
  }

  private static void checkWeight(int weight) {
    if (weight < 0) {
      throw new IpvsException("Zero or negative weight");
    }
  }

  private VirtualService service(ServiceKey key) {
    var s = services.get(key);
    if (s == null) {
      throw new IpvsException("No such service");
    }
    return s;
  }

  private static Optional<RealServer> find(VirtualService s, IpAddress a, int port) {
    return s.servers.stream().filter(r -> r.address.equals(a) && r.port == port).findFirst();
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  /**
   * {@code ipvsadm --set}: the timeouts of connections from their next packet on (an entry keeps
   * the expiry it was given until then, as the kernel's timers do).
   */
  public void setTimeouts(Timeouts t) {
    this.timeouts = t;
  }

  /**
   * The services, sorted, with their servers and connection counts ({@code ipvsadm -Ln}); the
   * connections that timed out on the virtual clock are gone from the counts first, as the kernel's
   * timers would have removed them.
   */
  /** Whether any virtual service is configured. */
  public boolean hasServices() {
    return !services.isEmpty();
  }

  public List<ServiceInfo> services() {
    expire();
    return services.values().stream().map(VirtualService::view).toList();
  }

  /** The connection table, live entries only, sorted by client ({@code ipvsadm -Lnc}). */
  public List<IpvsConnection> connections() {
    expire();
    var out = new ArrayList<IpvsConnection>();
    connections.values().forEach(c -> out.add(c.entry()));
    out.sort(
        java.util.Comparator.comparing((IpvsConnection c) -> c.client())
            .thenComparingInt(IpvsConnection::clientPort)
            .thenComparing(c -> c.virtualAddress())
            .thenComparingInt(IpvsConnection::virtualPort));
    return out;
  }

  // ---------------------------------------------------------------- the hooks

  private Verdict incoming(PacketContext ctx) {
    var p = ctx.packet();
    if (services.isEmpty() || !p.protocol().hasPorts()) {
      return Verdict.ACCEPT;
    }
    expire();
    var key = new IpvsConnection.Key(p.protocol(), p.src(), p.srcPort(), p.dst(), p.dstPort());
    var existing = connections.get(key);
    if (existing != null) {
      refresh(key, existing);
      return send(ctx, existing.entry(), existing.server(), "existing connection");
    }
    var svc = lookupService(ctx);
    if (svc.isEmpty()) {
      return Verdict.ACCEPT;
    }
    if (p.protocol() == Protocol.TCP
        && !(p.tcpFlags().contains(TcpFlag.SYN) && !p.tcpFlags().contains(TcpFlag.ACK))) {
      return Verdict.ACCEPT; // only a SYN opens a connection
    }
    var s = svc.get();
    var server = persistent(s, p).or(() -> s.scheduler.pick(s, p, ctx.chooser()));
    if (server.isEmpty()) {
      ctx.addStep(new Step.Ipvs(s.key.toString(), "none", s.scheduler.word()));
      return new Verdict.Reject("icmp-port-unreachable");
    }
    var r = server.get();
    remember(s, p, r);
    long ttl = ttl(p.protocol());
    var entry =
        new IpvsConnection(
            p.protocol(),
            p.src(),
            p.srcPort(),
            p.dst(),
            p.dstPort(),
            r.address,
            s.key instanceof ServiceKey.Fwmark
                ? (r.port == 0 ? p.dstPort() : r.port)
                : (r.port == 0 ? p.dstPort() : r.port),
            r.method,
            view.clock().nanos() + ttl);
    put(key, new Conn(entry, r));
    if (p.protocol() == Protocol.UDP) {
      r.inactive++;
    } else {
      r.active++;
    }
    ctx.addStep(new Step.Ipvs(s.key.toString(), r.endpoint(), s.scheduler.word()));
    return send(ctx, entry, r, "new connection");
  }

  private Optional<VirtualService> lookupService(PacketContext ctx) {
    var p = ctx.packet();
    if (ctx.mark() != 0) {
      var f = services.get(new ServiceKey.Fwmark(ctx.mark(), p.family()));
      if (f != null) {
        return Optional.of(f);
      }
    }
    return Optional.ofNullable(
        services.get(new ServiceKey.Inet(p.protocol(), p.dst(), p.dstPort())));
  }

  /** The server a persistence template binds this client to, if the service is persistent. */
  private Optional<RealServer> persistent(VirtualService s, Packet p) {
    if (s.persistence.isEmpty()) {
      return Optional.empty();
    }
    var t = templates.get(templateKey(s, p));
    if (t == null || t.expiresNanos() < view.clock().nanos() || t.server().removed) {
      return Optional.empty();
    }
    return Optional.of(t.server());
  }

  private void remember(VirtualService s, Packet p, RealServer r) {
    s.persistence.ifPresent(
        sec ->
            templates.put(
                templateKey(s, p),
                new Template(r, view.clock().nanos() + Duration.ofSeconds(sec).toNanos())));
  }

  private static String templateKey(VirtualService s, Packet p) {
    return s.key + "|" + IpPrefix.of(p.src(), s.persistenceMask);
  }

  private void refresh(IpvsConnection.Key key, Conn c) {
    long ttl = ttl(c.entry().protocol());
    var e = c.entry();
    put(
        key,
        new Conn(
            new IpvsConnection(
                e.protocol(),
                e.client(),
                e.clientPort(),
                e.virtualAddress(),
                e.virtualPort(),
                e.destination(),
                e.destinationPort(),
                e.method(),
                view.clock().nanos() + ttl),
            c.server()));
  }

  private Verdict send(PacketContext ctx, IpvsConnection c, RealServer r, String why) {
    var p = ctx.packet();
    switch (c.method()) {
      case MASQ -> {
        var after = p.withDst(c.destination(), c.destinationPort());
        ctx.addStep(new Step.Nat("ipvs-masq", p.toString(), after.toString()));
        ctx.connection()
            .ifPresent(
                ct -> {
                  var want =
                      new Tuple(
                          c.destination(), p.src(), p.protocol(), c.destinationPort(), p.srcPort());
                  if (!ct.reply().equals(want)) {
                    ct.setReply(want);
                  }
                });
        ctx.setPacket(after);
      }
      case GATE -> ctx.setNextHop(c.destination());
      case TUNNEL -> ctx.setTunnelTo(c.destination());
    }
    return new Verdict.Stolen(
        "ipvs (" + why + ", " + c.method().listed() + " to " + r.endpoint() + ")");
  }

  /**
   * A masqueraded reply that conntrack did not translate back: the source becomes the virtual
   * address.
   */
  private Verdict reply(PacketContext ctx) {
    var p = ctx.packet();
    if (connections.isEmpty() || !p.protocol().hasPorts()) {
      return Verdict.ACCEPT;
    }
    var c =
        byReply.get(
            new IpvsConnection.Key(p.protocol(), p.dst(), p.dstPort(), p.src(), p.srcPort()));
    if (c != null && c.entry().method() == ForwardMethod.MASQ) {
      var e = c.entry();
      var after = p.withSrc(e.virtualAddress(), e.virtualPort());
      ctx.addStep(new Step.Nat("ipvs-unmasq", p.toString(), after.toString()));
      ctx.setPacket(after);
    }
    return Verdict.ACCEPT;
  }

  private static IpvsConnection.Key replyKey(IpvsConnection e) {
    return new IpvsConnection.Key(
        e.protocol(), e.client(), e.clientPort(), e.destination(), e.destinationPort());
  }

  private void put(IpvsConnection.Key key, Conn c) {
    connections.put(key, c);
    byReply.put(replyKey(c.entry()), c);
  }

  private long ttl(Protocol protocol) {
    return (protocol == Protocol.UDP ? timeouts.udp() : timeouts.tcp()).toNanos();
  }

  private void expire() {
    long now = view.clock().nanos();
    var it = connections.entrySet().iterator();
    while (it.hasNext()) {
      var c = it.next().getValue();
      if (c.entry().expiresNanos() < now) {
        if (c.entry().protocol() == Protocol.UDP) {
          c.server().inactive--;
        } else {
          c.server().active--;
        }
        it.remove();
        byReply.remove(replyKey(c.entry()));
      }
    }
    templates.values().removeIf(t -> t.expiresNanos() < now);
  }

  @Override
  public Runnable snapshot() {
    var conns = new HashMap<>(connections);
    var replies = new HashMap<>(byReply);
    var temps = new HashMap<>(templates);
    var states = new HashMap<VirtualService, int[]>();
    var counts = new HashMap<RealServer, int[]>();
    for (var s : services.values()) {
      states.put(s, s.saveState());
      s.servers.forEach(r -> counts.put(r, new int[] {r.active, r.inactive}));
    }
    conns
        .values()
        .forEach(c -> counts.put(c.server(), new int[] {c.server().active, c.server().inactive}));
    return () -> {
      connections = new HashMap<>(conns);
      byReply = new HashMap<>(replies);
      templates = new HashMap<>(temps);
      states.forEach(VirtualService::restoreState);
      counts.forEach(
          (r, c) -> {
            r.active = c[0];
            r.inactive = c[1];
          });
    };
  }
}
