package dev.podpath.proxy.iptables;

import static dev.podpath.proxy.iptables.ChainNames.EXTERNAL_SERVICES;
import static dev.podpath.proxy.iptables.ChainNames.FORWARD;
import static dev.podpath.proxy.iptables.ChainNames.KUBELET_FIREWALL;
import static dev.podpath.proxy.iptables.ChainNames.MARK_MASQ;
import static dev.podpath.proxy.iptables.ChainNames.NODEPORTS;
import static dev.podpath.proxy.iptables.ChainNames.POSTROUTING;
import static dev.podpath.proxy.iptables.ChainNames.PROXY_FIREWALL;
import static dev.podpath.proxy.iptables.ChainNames.SERVICES;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.EndpointCategories;
import dev.podpath.proxy.ServicePort;
import dev.podpath.proxy.ServicePortName;
import dev.podpath.proxy.conntrack.ConntrackAction;
import dev.podpath.proxy.conntrack.StaleConntrack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-proxy's iptables mode for one node and address family (upstream's {@code syncProxyRules}).
 * Each {@link #sync()} checks out the tracker's changes and writes one {@code iptables-restore
 * --noflush} input: the filter table and the fixed nat chains every time, the per-service chains
 * only of changed Services in a partial sync (all of them in a full one), and {@code -X} for stale
 * service chains found in the live nat table. A sync is full at start, after a failed restore, when
 * forced, or an hour after the last full one. When more than 1000 endpoints exist (large-cluster
 * mode) endpoint comments are left out and stale chains are looked for at most once per sync
 * period.
 */
public final class IptablesProxier {

  /** Endpoints over all service ports above which large-cluster mode starts. */
  public static final int LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

  /** How long partial syncs may go on before a full one. */
  public static final Duration FULL_SYNC_PERIOD = Duration.ofHours(1);

  private final IptablesOptions options;
  private final ChangeTracker tracker;
  private final Iptables iptables;
  private final VirtualClock clock;

  private boolean needFullSync = true;
  private long lastFullSyncNanos;
  private long lastCleanupNanos = Long.MIN_VALUE / 2;
  private boolean largeClusterMode;
  private int partialRestoreFailures;

  public IptablesProxier(
      IptablesOptions options, ChangeTracker tracker, Iptables iptables, VirtualClock clock) {
    if (tracker.family() != options.family() || iptables.family() != options.family()) {
      throw new IllegalArgumentException(
          "family: tracker, iptables and options must agree, got "
              + tracker.family()
              + ", "
              + iptables.family()
              + ", "
              + options.family());
    }
    this.options = options;
    this.tracker = tracker;
    this.iptables = iptables;
    this.clock = clock;
  }

  /** What one sync did. */
  public record SyncResult(
      boolean full,
      boolean succeeded,
      String restoreInput,
      int deletedChains,
      List<ConntrackAction> conntrackFlushes,
      String error) {}

  /** Asks for the next sync to be a full one. */
  public void forceFullSync() {
    needFullSync = true;
  }

  /** Sets when stale chains were last looked for (tests of large-cluster mode use it). */
  public void setLastCleanup(long nanos) {
    lastCleanupNanos = nanos;
  }

  public boolean needsFullSync() {
    return needFullSync;
  }

  public boolean largeClusterMode() {
    return largeClusterMode;
  }

  /** How many partial restores failed so far (upstream's partial-restore-failures metric). */
  public int partialRestoreFailures() {
    return partialRestoreFailures;
  }

  /** Runs one sync. */
  public SyncResult sync() {
    long now = clock.nanos();
    boolean tryPartial = !needFullSync && now - lastFullSyncNanos < FULL_SYNC_PERIOD.toNanos();
    ChangeTracker.Changes changes = tracker.checkout();
    if (!tryPartial) {
      JumpRules.ensure(iptables, options);
    }
    largeClusterMode = tracker.totalEndpoints() > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;

    var out = new RestoreBuffers();
    writeFixed(out);
    Set<String> active = new HashSet<>();
    var serviceRules = new ServiceRules(options, out, largeClusterMode);
    for (Map.Entry<ServicePortName, ServicePort> e : tracker.servicePorts().entrySet()) {
      ServicePort svc = e.getValue();
      var cats = EndpointCategories.of(svc, tracker.endpoints(e.getKey()));
      boolean write = !tryPartial || changes.touches(e.getKey().serviceKey());
      serviceRules.write(svc, cats, write, active);
    }
    int deleted = 0;
    if (!largeClusterMode || now - lastCleanupNanos > options.syncPeriod().toNanos()) {
      for (String chain : iptables.chains("nat")) {
        if (!active.contains(chain) && ChainNames.isServiceChain(chain)) {
          out.natChains.writeLine(RestoreBuffers.chainLine(chain));
          out.natRules.write("-X", chain);
          deleted++;
        }
      }
      lastCleanupNanos = now;
    }
    writeNodePortsTail(out);
    writeForward(out);

    String text = out.restoreText();
    try {
      iptables.restore(text);
    } catch (Iptables.RestoreException ex) {
      if (tryPartial) {
        partialRestoreFailures++;
      }
      needFullSync = true;
      return new SyncResult(!tryPartial, false, text, 0, List.of(), ex.getMessage());
    }
    if (!tryPartial) {
      lastFullSyncNanos = now;
    }
    needFullSync = false;
    var flushes = StaleConntrack.plan(changes, tracker);
    return new SyncResult(!tryPartial, true, text, deleted, flushes, "");
  }

  private void writeFixed(RestoreBuffers out) {
    for (String c : List.of(SERVICES, EXTERNAL_SERVICES, FORWARD, NODEPORTS, PROXY_FIREWALL)) {
      out.filterChains.writeLine(RestoreBuffers.chainLine(c));
    }
    for (String c : List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ)) {
      out.natChains.writeLine(RestoreBuffers.chainLine(c));
    }
    String mark = options.masqueradeMark();
    MasqueradeRules.write(
        out.natRules,
        POSTROUTING,
        MARK_MASQ,
        mark,
        iptables.hasRandomFully() && options.randomFully());
    if (!options.ipv6() && options.localhostNodePorts()) {
      out.filterChains.writeLine(RestoreBuffers.chainLine(KUBELET_FIREWALL));
      out.filterRules.write(
          "-A",
          KUBELET_FIREWALL,
          "-m",
          "comment",
          "--comment",
          "\"block incoming localnet connections\"",
          "-d",
          "127.0.0.0/8",
          "!",
          "-s",
          "127.0.0.0/8",
          "-m",
          "conntrack",
          "!",
          "--ctstate",
          "RELATED,ESTABLISHED,DNAT",
          "-j",
          "DROP");
    }
  }

  private void writeNodePortsTail(RestoreBuffers out) {
    String comment =
        "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
    if (options.nodePortAddresses().isEmpty()) {
      List<String> dest = new ArrayList<>(List.of("-m", "addrtype", "--dst-type", "LOCAL"));
      if (options.ipv6()) {
        dest.addAll(List.of("!", "-d", "::1/128"));
      } else if (!options.localhostNodePorts()) {
        dest.addAll(List.of("!", "-d", "127.0.0.0/8"));
      }
      out.natRules.write(
          "-A", SERVICES, "-m", "comment", "--comment", comment, dest, "-j", NODEPORTS);
      return;
    }
    for (IpAddress ip : nodePortIps()) {
      if (ip.isLoopback() && (options.ipv6() || !options.localhostNodePorts())) {
        continue;
      }
      out.natRules.write(
          "-A",
          SERVICES,
          "-m",
          "comment",
          "--comment",
          comment,
          "-d",
          ip.toString(),
          "-j",
          NODEPORTS);
    }
  }

  /** The node's addresses inside {@code nodePortAddresses}, one per address. */
  private List<IpAddress> nodePortIps() {
    List<IpAddress> ips = new ArrayList<>();
    for (IpPrefix cidr : options.nodePortAddresses()) {
      for (IpAddress a : options.localAddresses()) {
        if (cidr.contains(a) && !ips.contains(a)) {
          ips.add(a);
        }
      }
    }
    return ips;
  }

  private void writeForward(RestoreBuffers out) {
    String mark = options.masqueradeMark();
    if (!options.tcpBeLiberal()) {
      List<String> rule =
          new ArrayList<>(List.of("-A", FORWARD, "-m", "conntrack", "--ctstate", "INVALID"));
      if (options.nfacctCounters().contains(IptablesOptions.CT_INVALID_COUNTER)) {
        rule.addAll(List.of("-m", "nfacct", "--nfacct-name", IptablesOptions.CT_INVALID_COUNTER));
      }
      rule.addAll(List.of("-j", "DROP"));
      out.filterRules.write(rule);
    }
    ForwardRules.writeAccepts(out.filterRules, FORWARD, mark);
  }
}
