package dev.podpath.kernel.conntrack;

import dev.podpath.kernel.path.CtState;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Tuple;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Packet;
import dev.podpath.net.Protocol;
import dev.podpath.net.TcpFlag;
import dev.podpath.net.trace.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The conntrack table of one network namespace ({@code nf_conntrack}). {@link #in} runs at
 * PREROUTING and OUTPUT (priority -200): it finds the packet's entry (or makes a new, unconfirmed
 * one), gives the packet its state (NEW, ESTABLISHED, RELATED for ICMP errors about a known
 * connection, INVALID, UNTRACKED) and moves the TCP state machine. {@link #confirm} runs last at
 * INPUT and POSTROUTING: a new entry enters the table only then. Entries time out on the
 * namespace's virtual clock with the kernel's per-protocol timeouts ({@code
 * net.netfilter.nf_conntrack_*_timeout*}); at {@code nf_conntrack_max} entries a new connection
 * evicts the oldest unassured entry, or is dropped.
 */
public final class ConntrackTable {

  private final NamespaceView view;
  private Map<Tuple, ConntrackEntry> byTuple = new HashMap<>();
  private TreeMap<Long, ConntrackEntry> byId = new TreeMap<>();
  private Map<Source, List<ConntrackEntry>> bySource = new HashMap<>();
  private long nextId = 1;

  public ConntrackTable(NamespaceView view) {
    this.view = view;
  }

  /** The conntrack hook ({@code nf_conntrack_in}). */
  public Verdict in(PacketContext ctx) {
    if (ctx.untracked()) {
      ctx.setCtState(CtState.UNTRACKED);
      ctx.addStep(new Step.Conntrack("UNTRACKED", ""));
      return Verdict.ACCEPT;
    }
    if (ctx.connection().isPresent()) {
      return Verdict.ACCEPT; // seen before in this namespace (loopback)
    }
    Packet p = ctx.packet();
    boolean v6 = p.family() == IpFamily.IPV6;
    boolean icmp = p.protocol() == Protocol.ICMP || p.protocol() == Protocol.ICMPV6;
    if (icmp && Tuples.isIcmpError(p.icmpType(), v6)) {
      return related(ctx, p);
    }
    Tuple t = Tuple.of(p);
    ConntrackEntry e = lookup(t);
    boolean reply = e != null && !e.original().equals(t);
    if (e != null && !reply && p.protocol() == Protocol.TCP && isRestart(e, p)) {
      remove(e); // a new SYN on a closed connection starts a new one
      e = null;
    }
    if (e == null) {
      return create(ctx, p, t, icmp, v6);
    }
    if (p.protocol() == Protocol.TCP && !tcpPacket(e, reply, p)) {
      return invalid(ctx, "tcp packet does not fit the connection");
    }
    if (reply) {
      e.set(ConnStatus.SEEN_REPLY);
    }
    refresh(e, p);
    if (p.protocol() == Protocol.TCP
        && p.tcpFlags().contains(TcpFlag.RST)
        && !e.has(ConnStatus.ASSURED)) {
      remove(e); // a RST answering a SYN (or a picked-up ACK) kills the entry at once
    }
    ctx.setConnection(e);
    ctx.setReplyDirection(reply);
    ctx.setCtState(reply || e.has(ConnStatus.SEEN_REPLY) ? CtState.ESTABLISHED : CtState.NEW);
    ctx.addStep(
        new Step.Conntrack(ctx.ctState().name() + (reply ? " reply" : ""), record(e).toString()));
    return Verdict.ACCEPT;
  }

  /** The confirm hook ({@code __nf_conntrack_confirm}): a new entry enters the table. */
  public Verdict confirm(PacketContext ctx) {
    if (!(ctx.connection().orElse(null) instanceof ConntrackEntry e) || e.confirmed()) {
      return Verdict.ACCEPT;
    }
    ConntrackEntry a = lookup(e.original());
    ConntrackEntry b = lookup(e.reply());
    if (a != null || b != null) {
      ctx.addStep(new Step.Drop("nf_conntrack: clash while confirming " + record(e)));
      return new Verdict.Drop("conntrack clash");
    }
    e.set(ConnStatus.CONFIRMED);
    index(e);
    return Verdict.ACCEPT;
  }

  /**
   * The live entries given a source mapping ({@code IPS_SRC_NAT_DONE}, null bindings included)
   * whose original tuple has {@code t}'s protocol, source address and source port (ICMP id), the
   * newest first: Linux's {@code nf_nat_bysource} chain as {@code find_appropriate_src} walks it.
   */
  public List<ConntrackEntry> sameSource(Tuple t) {
    List<ConntrackEntry> list = bySource.get(Source.of(t));
    if (list == null) {
      return List.of();
    }
    long now = view.clock().nanos();
    return list.reversed().stream().filter(e -> e.deadlineNanos() > now).toList();
  }

  /**
   * Whether {@code replyTuple} is already the tuple of another confirmed entry ({@code
   * nf_conntrack_tuple_taken}): NAT must not make two connections whose replies look alike.
   */
  public boolean taken(Tuple replyTuple, ConntrackEntry self) {
    ConntrackEntry other = lookup(replyTuple);
    return other != null && other != self;
  }

  /** The confirmed entry with this tuple in either direction, if any and not expired. */
  public Optional<ConntrackRecord> find(Tuple t) {
    ConntrackEntry e = lookup(t);
    return e == null ? Optional.empty() : Optional.of(record(e));
  }

  /** {@code conntrack -L}: every live entry, oldest first. */
  public List<ConntrackRecord> list() {
    expireAll();
    return byId.values().stream().map(this::record).toList();
  }

  /** The number of live entries ({@code nf_conntrack_count}). */
  public int count() {
    expireAll();
    return byId.size();
  }

  /** {@code conntrack -D …}: deletes the entries that match; returns how many. */
  public int delete(Predicate<ConntrackRecord> which) {
    expireAll();
    var doomed = new ArrayList<ConntrackEntry>();
    for (ConntrackEntry e : byId.values()) {
      if (which.test(record(e))) {
        doomed.add(e);
      }
    }
    doomed.forEach(this::remove);
    return doomed.size();
  }

  /** {@code conntrack -F}. */
  public int flush() {
    return delete(r -> true);
  }

  /** Sets the mark of the entries that match ({@code conntrack -U --mark}); returns how many. */
  public int updateMark(Predicate<ConntrackRecord> which, int mark) {
    int n = 0;
    for (ConntrackEntry e : byId.values()) {
      if (which.test(record(e))) {
        e.setMark(mark);
        n++;
      }
    }
    return n;
  }

  /** The table's state at one moment, for {@link #restore}; opaque. */
  public static final class Snapshot {
    private final List<ConntrackEntry> entries;
    private final long nextId;

    private Snapshot(List<ConntrackEntry> entries, long nextId) {
      this.entries = entries;
      this.nextId = nextId;
    }
  }

  public Snapshot snapshot() {
    return new Snapshot(byId.values().stream().map(ConntrackEntry::copy).toList(), nextId);
  }

  public void restore(Snapshot s) {
    byTuple = new HashMap<>();
    byId = new TreeMap<>();
    bySource = new HashMap<>();
    for (ConntrackEntry e : s.entries) {
      index(e.copy());
    }
    nextId = s.nextId;
  }

  /** The entry as {@code conntrack -L} shows it now. */
  public ConntrackRecord record(ConntrackEntry e) {
    long left = Math.max(0, (e.deadlineNanos() - view.clock().nanos()) / 1_000_000_000L);
    Optional<TcpState> state =
        e.original().protocol() == Protocol.TCP ? Optional.of(e.tcpState()) : Optional.empty();
    return new ConntrackRecord(
        e.id(),
        e.original().protocol(),
        left,
        state,
        e.original(),
        e.reply(),
        e.icmpType(),
        e.icmpCode(),
        e.status(),
        e.mark());
  }

  private Verdict related(PacketContext ctx, Packet p) {
    if (p.inner().isEmpty()) {
      return invalid(ctx, "icmp error without the packet it reports on");
    }
    Tuple inner = Tuples.invert(Tuple.of(p.inner().get()));
    ConntrackEntry e = lookup(inner);
    if (e == null) {
      return invalid(ctx, "icmp error about no known connection");
    }
    boolean reply = !e.original().equals(inner);
    ctx.setConnection(e);
    ctx.setReplyDirection(reply);
    ctx.setCtState(CtState.RELATED);
    ctx.addStep(new Step.Conntrack("RELATED" + (reply ? " reply" : ""), record(e).toString()));
    return Verdict.ACCEPT;
  }

  private Verdict create(PacketContext ctx, Packet p, Tuple t, boolean icmp, boolean v6) {
    TcpState tcp = TcpState.NONE;
    if (p.protocol() == Protocol.TCP) {
      tcp = TcpState.NONE.next(false, p.tcpFlags());
      if (tcp == TcpState.INVALID || tcp == TcpState.IGNORE) {
        return invalid(ctx, "tcp packet " + p.tcpFlags() + " cannot open a connection");
      }
    }
    if (icmp && Tuples.icmpReplyType(p.icmpType(), v6) < 0) {
      return invalid(ctx, "icmp type " + p.icmpType() + " cannot open a connection");
    }
    if (!makeRoom()) {
      ctx.addStep(new Step.Drop("nf_conntrack: table full, dropping packet"));
      return new Verdict.Drop("nf_conntrack: table full, dropping packet");
    }
    var e =
        new ConntrackEntry(
            nextId++,
            t,
            tcp,
            view.clock().nanos(),
            icmp ? p.icmpType() : -1,
            icmp ? p.icmpCode() : -1);
    refresh(e, p);
    ctx.setConnection(e);
    ctx.setReplyDirection(false);
    ctx.setCtState(CtState.NEW);
    ctx.addStep(new Step.Conntrack("NEW", record(e).toString()));
    return Verdict.ACCEPT;
  }

  private Verdict invalid(PacketContext ctx, String why) {
    ctx.setConnection(null);
    ctx.setCtState(CtState.INVALID);
    ctx.addStep(new Step.Conntrack("INVALID", why));
    return Verdict.ACCEPT;
  }

  private static boolean isRestart(ConntrackEntry e, Packet p) {
    return p.tcpFlags().contains(TcpFlag.SYN)
        && !p.tcpFlags().contains(TcpFlag.ACK)
        && (e.tcpState() == TcpState.TIME_WAIT || e.tcpState() == TcpState.CLOSE);
  }

  /** Moves the TCP state machine; false when the packet is INVALID for the connection. */
  private static boolean tcpPacket(ConntrackEntry e, boolean reply, Packet p) {
    TcpState old = e.tcpState();
    TcpState next = old.next(reply, p.tcpFlags());
    if (next == TcpState.INVALID) {
      return false;
    }
    if (next == TcpState.IGNORE) {
      return true;
    }
    e.setTcpState(next);
    if ((old == TcpState.SYN_RECV || old == TcpState.ESTABLISHED) && next == TcpState.ESTABLISHED) {
      e.set(ConnStatus.ASSURED);
    }
    return true;
  }

  /** Sets the entry's deadline from its protocol's timeout ({@code nf_ct_refresh}). */
  private void refresh(ConntrackEntry e, Packet p) {
    long now = view.clock().nanos();
    long seconds =
        switch (e.original().protocol()) {
          case TCP -> sysctl(e.tcpState().timeoutKey(), e.tcpState().defaultTimeout());
          case UDP -> {
            if (!e.has(ConnStatus.SEEN_REPLY)) {
              yield sysctl("net.netfilter.nf_conntrack_udp_timeout", 30);
            }
            if (now - e.createdNanos()
                > 2_000_000_000L) { // still active after two seconds: a stream
              e.set(ConnStatus.ASSURED);
              yield sysctl("net.netfilter.nf_conntrack_udp_timeout_stream", 120);
            }
            yield sysctl("net.netfilter.nf_conntrack_udp_timeout", 30);
          }
          case ICMP -> sysctl("net.netfilter.nf_conntrack_icmp_timeout", 30);
          case ICMPV6 -> sysctl("net.netfilter.nf_conntrack_icmpv6_timeout", 30);
          default -> sysctl("net.netfilter.nf_conntrack_generic_timeout", 600);
        };
    e.setDeadlineNanos(now + seconds * 1_000_000_000L);
  }

  private boolean makeRoom() {
    long max = sysctl("net.netfilter.nf_conntrack_max", 262144);
    if (byId.size() < max) {
      return true;
    }
    expireAll();
    if (byId.size() < max) {
      return true;
    }
    for (ConntrackEntry e : byId.values()) { // early_drop: the oldest entry not assured
      if (!e.has(ConnStatus.ASSURED)) {
        remove(e);
        return true;
      }
    }
    return false;
  }

  private @Nullable ConntrackEntry lookup(Tuple t) {
    ConntrackEntry e = byTuple.get(t);
    if (e != null && e.deadlineNanos() <= view.clock().nanos()) {
      remove(e);
      return null;
    }
    return e;
  }

  private void expireAll() {
    long now = view.clock().nanos();
    var doomed = byId.values().stream().filter(e -> e.deadlineNanos() <= now).toList();
    doomed.forEach(this::remove);
  }

  private void index(ConntrackEntry e) {
    byTuple.put(e.original(), e);
    byTuple.put(e.reply(), e);
    byId.put(e.id(), e);
    if (e.has(ConnStatus.SRC_NAT_DONE)) {
      bySource.computeIfAbsent(Source.of(e.original()), k -> new ArrayList<>(1)).add(e);
    }
  }

  private void remove(ConntrackEntry e) {
    byTuple.remove(e.original(), e);
    byTuple.remove(e.reply(), e);
    byId.remove(e.id());
    Source key = Source.of(e.original());
    List<ConntrackEntry> list = bySource.get(key);
    if (list != null && list.remove(e) && list.isEmpty()) {
      bySource.remove(key);
    }
  }

  /** The key of {@code nf_nat_bysource}: protocol, source address and port of the original. */
  private record Source(Protocol protocol, IpAddress address, int port) {
    static Source of(Tuple t) {
      return new Source(t.protocol(), t.src(), t.srcPort());
    }
  }

  private long sysctl(String key, long fallback) {
    try {
      String v = view.sysctl(key).trim();
      return Long.parseLong(v.split("\\s+")[0]);
    } catch (IllegalArgumentException ex) {
      return fallback;
    }
  }
}
