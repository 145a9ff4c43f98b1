package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.conntrack.ConntrackTable;
import dev.podpath.kernel.ipset.IpSets;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.RulesetException;
import dev.podpath.kernel.netfilter.rule.Table;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.kernel.path.Hook;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.kernel.path.Priority;
import dev.podpath.kernel.path.Restorable;
import dev.podpath.kernel.path.Verdict;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The netfilter state of one network namespace: its tables (raw, mangle, nat, filter, security for
 * IPv4 and IPv6), conntrack table, ip sets, {@code recent} lists and nfacct objects. Creating it
 * registers its hook functions in the namespace's {@link HookTable}, at the kernel's priorities
 * (see {@link HookTable} for the picture):
 *
 * <ul>
 *   <li>PREROUTING: raw -300, conntrack -200, mangle -150, nat (DNAT) -100
 *   <li>INPUT: mangle -150, filter 0, security 50, nat (SNAT) 100, conntrack confirm last
 *   <li>FORWARD: mangle -150, filter 0, security 50
 *   <li>OUTPUT: raw -300, conntrack -200, mangle -150, nat (DNAT) -100, filter 0, security 50
 *   <li>POSTROUTING: mangle -150, nat (SNAT) 100, conntrack confirm last
 * </ul>
 *
 * <p>Tables are read as immutable {@link Table} snapshots (with their counters) and replaced whole
 * with {@link #commit(Table)}, the way {@code iptables-restore} hands the kernel a table: the new
 * table is checked as a whole and either installed or refused with nothing changed. The nat table
 * is consulted only for a connection's first packet; its decision lives in conntrack.
 *
 * <p>SEAM (owned by the netfilter engineer): the namespace creates exactly one per namespace with
 * {@code new Netfilter(view, hooks)}.
 */
public final class Netfilter implements Restorable {

  private final NamespaceView view;
  private final HookTable hooks;
  private final Map<IpFamily, Map<TableName, CompiledTable>> tables = new EnumMap<>(IpFamily.class);
  private final Map<IpFamily, Set<TableName>> created =
      new EnumMap<>(
          Map.of(
              IpFamily.IPV4,
              EnumSet.noneOf(TableName.class),
              IpFamily.IPV6,
              EnumSet.noneOf(TableName.class)));
  private final ConntrackTable conntrack;
  private final IpSets ipSets;
  private final RecentLists recent;
  private final NfAcct nfacct = new NfAcct();
  private final NatEngine nat;
  private final Matcher matcher;
  private final TableRunner runner;
  private java.util.function.BooleanSupplier otherUser = () -> false;

  public Netfilter(NamespaceView view, HookTable hooks) {
    this.view = view;
    this.hooks = hooks;
    this.conntrack = new ConntrackTable(view);
    this.ipSets = new IpSets(view.clock());
    this.recent = new RecentLists(view.clock());
    this.nat = new NatEngine(conntrack);
    this.matcher = new Matcher(recent, ipSets, nfacct);
    this.runner = new TableRunner(nat);
    for (IpFamily f : IpFamily.values()) {
      var m = new EnumMap<TableName, CompiledTable>(TableName.class);
      for (TableName t : TableName.values()) {
        m.put(t, new CompiledTable(Table.empty(f, t), matcher));
      }
      tables.put(f, m);
    }
    register();
  }

  private void register() {
    for (Hook h : Hook.values()) {
      if (TableName.RAW.builtinHooks().contains(h)) {
        hooks.register(h, Priority.RAW, "iptable_raw", ctx -> runTable(TableName.RAW, h, ctx));
      }
      if (h == Hook.PREROUTING || h == Hook.OUTPUT) {
        hooks.register(
            h,
            Priority.CONNTRACK,
            "nf_conntrack_in",
            ctx -> tracked(ctx) ? conntrack.in(ctx) : Verdict.ACCEPT);
      }
      hooks.register(
          h, Priority.MANGLE, "iptable_mangle", ctx -> runTable(TableName.MANGLE, h, ctx));
      if (h == Hook.PREROUTING || h == Hook.OUTPUT) {
        hooks.register(h, Priority.NAT_DST, "nf_nat (DNAT)", ctx -> natHook(h, ctx));
      }
      if (TableName.FILTER.builtinHooks().contains(h)) {
        hooks.register(
            h, Priority.FILTER, "iptable_filter", ctx -> runTable(TableName.FILTER, h, ctx));
        hooks.register(
            h, Priority.SECURITY, "iptable_security", ctx -> runTable(TableName.SECURITY, h, ctx));
      }
      if (h == Hook.INPUT || h == Hook.POSTROUTING) {
        hooks.register(h, Priority.NAT_SRC, "nf_nat (SNAT)", ctx -> natHook(h, ctx));
        hooks.register(
            h,
            Priority.CONNTRACK_CONFIRM,
            "nf_conntrack_confirm",
            ctx -> tracked(ctx) ? conntrack.confirm(ctx) : Verdict.ACCEPT);
      }
    }
  }

  /**
   * Whether conntrack (and with it NAT) is attached for this packet's family: with iptables-nft,
   * Linux registers the conntrack hooks of a namespace and family only while some rule needs them,
   * and drops them when the last such rule goes (seen on 6.18; entries already made stay until they
   * time out).
   */
  public boolean tracking(IpFamily family) {
    if (otherUser.getAsBoolean()) {
      return true;
    }
    for (CompiledTable t : tables.get(family).values()) {
      if (t.needsConntrack) {
        return true;
      }
    }
    return false;
  }

  /** Another conntrack user besides the rules (IPVS with services): tracking while it says so. */
  public void alsoTrackWhile(java.util.function.BooleanSupplier user) {
    this.otherUser = user;
  }

  private boolean tracked(PacketContext ctx) {
    return tracking(ctx.packet().family());
  }

  private Verdict runTable(TableName t, Hook h, PacketContext ctx) {
    return runner.run(compiled(ctx.packet().family(), t), h, ctx);
  }

  /** {@code nf_nat_inet_fn}: decide on a connection's first packet, then translate. */
  private Verdict natHook(Hook h, PacketContext ctx) {
    if (!tracked(ctx)) {
      return Verdict.ACCEPT; // nf_nat_inet_fn: no conntrack, no NAT table
    }
    NatEngine.Manip m = NatEngine.Manip.of(h);
    if (NatEngine.needsDecision(ctx, m)) {
      Verdict v = runTable(TableName.NAT, h, ctx);
      if (!(v instanceof Verdict.Accept)) {
        return v;
      }
      nat.nullBinding(ctx, m);
    }
    nat.apply(ctx, h);
    return Verdict.ACCEPT;
  }

  public NamespaceView view() {
    return view;
  }

  public HookTable hooks() {
    return hooks;
  }

  /** The namespace's conntrack table ({@code conntrack -L/-D/-F}). */
  public ConntrackTable conntrack() {
    return conntrack;
  }

  /** The namespace's ip sets ({@code ipset}). */
  public IpSets ipSets() {
    return ipSets;
  }

  /** The nfacct objects {@code -m nfacct} counts into. */
  public NfAcct nfacct() {
    return nfacct;
  }

  /** A {@code recent} list: each address with the virtual time (nanos) it was last seen. */
  public Map<IpAddress, Long> recentList(String name) {
    return recent.list(name);
  }

  /** The table as it is now, counters included. */
  public Table table(IpFamily family, TableName name) {
    return compiled(family, name).snapshot();
  }

  /**
   * One chain of a table as {@link #table} would show it (counters included), without copying the
   * rest of the table: what a read-only command such as {@code iptables -C} needs.
   */
  public Optional<Chain> chain(IpFamily family, TableName name, String chainName) {
    return compiled(family, name).chainSnapshot(chainName);
  }

  /** Every table of a family, in {@link TableName} order. */
  public List<Table> tables(IpFamily family) {
    var out = new ArrayList<Table>();
    for (TableName t : TableName.values()) {
      out.add(table(family, t));
    }
    return out;
  }

  /**
   * Replaces a whole table atomically, counters as given (zero them for a plain {@code
   * iptables-restore}; keep them for {@code -c} or for an edit of a snapshot).
   *
   * @throws RulesetException when the kernel would refuse the table; nothing is changed then
   */
  public void commit(Table table) {
    CompiledTable compiled = new CompiledTable(table, matcher);
    RulesetValidator.validate(compiled, ipSets::exists);
    tables.get(table.family()).put(table.name(), compiled);
    refreshReferences();
  }

  /**
   * Replaces one chain of a table ({@code chain} names it: its rules, policy and counters as given)
   * and leaves the rest, counters included: what {@link #commit} of the table with only that chain
   * changed does, with the same refusals, but without recompiling or re-checking the other chains.
   * The changed chain is compiled and checked; the jumps are walked again from the hooks (loops,
   * reachability); the hook checks run again only for chains whose reaching hooks changed.
   *
   * @return false, changing nothing, when the table has no chain of that name (use {@link #commit})
   * @throws RulesetException when the kernel would refuse the table; nothing is changed then
   */
  public boolean commitChain(IpFamily family, TableName name, Chain chain) {
    CompiledTable base = compiled(family, name);
    Optional<CompiledTable> next = base.withChain(chain);
    if (next.isEmpty()) {
      return false;
    }
    RulesetValidator.validateChange(
        base, next.get(), base.chainIndex(chain.name()), ipSets::exists);
    next.get().resetNth();
    tables.get(family).put(name, next.get());
    refreshReferences();
    return true;
  }

  /** Whether the table has a chain of that name, without copying anything. */
  public boolean hasChain(IpFamily family, TableName name, String chainName) {
    return compiled(family, name).index.containsKey(chainName);
  }

  /**
   * Recounts which ip sets and recent lists the rules use (xt_set and xt_recent references), from
   * what each compiled table counted.
   */
  private void refreshReferences() {
    var setRefs = new TreeMap<String, Integer>();
    var recentNames = new TreeSet<String>();
    for (var byName : tables.values()) {
      for (CompiledTable ct : byName.values()) {
        ct.setReferences.forEach((name, n) -> setRefs.merge(name, n, Integer::sum));
        recentNames.addAll(ct.recentNames);
      }
    }
    ipSets.setReferences(setRefs);
    recent.retain(recentNames);
  }

  /** Sets every counter of a table, or of one chain of it, to zero ({@code iptables -Z}). */
  public void zeroCounters(IpFamily family, TableName name, Optional<String> chain) {
    compiled(family, name).zero(chain);
  }

  /** All mutable state of this namespace's netfilter at one moment; opaque. */
  public static final class Snapshot {
    private final Map<IpFamily, Map<TableName, CompiledTable>> tables;
    private final Map<CompiledTable, long[]> counters;
    private final ConntrackTable.Snapshot conntrack;
    private final IpSets.Snapshot sets;
    private final RecentLists.Snapshot recent;
    private final Map<String, dev.podpath.kernel.netfilter.rule.Counters> nfacct;

    private Snapshot(
        Map<IpFamily, Map<TableName, CompiledTable>> tables,
        Map<CompiledTable, long[]> counters,
        ConntrackTable.Snapshot conntrack,
        IpSets.Snapshot sets,
        RecentLists.Snapshot recent,
        Map<String, dev.podpath.kernel.netfilter.rule.Counters> nfacct) {
      this.tables = tables;
      this.counters = counters;
      this.conntrack = conntrack;
      this.sets = sets;
      this.recent = recent;
      this.nfacct = nfacct;
    }
  }

  /**
   * Saves everything a packet walk can change (tables with counters, conntrack, ip sets, recent
   * lists, nfacct); running the result puts it back, so that a walk can be repeated from the same
   * state, once per random branch.
   */
  @Override
  public Runnable snapshot() {
    Snapshot s = save();
    return () -> restore(s);
  }

  /** Saves everything a packet walk can change, for {@link #restore(Snapshot)}. */
  public Snapshot save() {
    var t = new EnumMap<IpFamily, Map<TableName, CompiledTable>>(IpFamily.class);
    var c = new java.util.IdentityHashMap<CompiledTable, long[]>();
    tables.forEach(
        (f, m) -> {
          t.put(f, new EnumMap<>(m));
          m.values().forEach(ct -> c.put(ct, ct.saveState()));
        });
    return new Snapshot(
        t, c, conntrack.snapshot(), ipSets.snapshot(), recent.snapshot(), nfacct.save());
  }

  /** Puts back the state saved by {@link #save()}. */
  public void restore(Snapshot s) {
    s.tables.forEach(
        (f, m) -> {
          tables.get(f).putAll(m);
          m.values().forEach(ct -> ct.restoreState(s.counters.get(ct)));
        });
    conntrack.restore(s.conntrack);
    ipSets.restore(s.sets);
    recent.restore(s.recent);
    nfacct.load(s.nfacct);
    refreshReferences();
  }

  /**
   * Whether the table exists as iptables-nft sees it: some command or restore created it, or it
   * holds anything but its defaults. {@code iptables-save} prints only existing tables; a table
   * that does not exist lists as its empty defaults.
   */
  public boolean exists(IpFamily family, TableName name) {
    return created.get(family).contains(name)
        || !compiled(family, name).isPristine(Table.empty(family, name));
  }

  /** Marks a table as created or, with {@code false}, as deleted (it must then be empty). */
  public void setExists(IpFamily family, TableName name, boolean exists) {
    if (exists) {
      created.get(family).add(name);
    } else {
      created.get(family).remove(name);
    }
  }

  CompiledTable compiled(IpFamily family, TableName name) {
    return tables.get(family).get(name);
  }
}
