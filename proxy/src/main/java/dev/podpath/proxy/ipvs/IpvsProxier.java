package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.conntrack.ConntrackAction;
import dev.podpath.proxy.conntrack.StaleConntrack;
import dev.podpath.proxy.iptables.Iptables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * kube-proxy's IPVS mode for one node and family: each {@link #sync()} plans with {@link
 * IpvsPlanner} and applies the difference to the kernel — virtual services added, updated or
 * deleted, addresses bound to and unbound from {@code kube-ipvs0}, ipsets replaced, the iptables
 * rules restored — with graceful termination of removed TCP real servers: a real server that still
 * carries connections is kept with weight 0 until {@link #reapTerminated()} finds it idle.
 */
public final class IpvsProxier {

  private final IpvsOptions options;
  private final ChangeTracker tracker;
  private final IpvsKernel kernel;
  private final Iptables iptables;
  private final IpvsPlanner planner;
  private final Map<String, TerminatingServer> terminating = new HashMap<>();
  private IpvsPlan lastPlan =
      new IpvsPlan(new java.util.TreeMap<>(), new TreeSet<>(), List.of(), "");

  /** A real server being drained (weight 0) before deletion. */
  public record TerminatingServer(VirtualServer.Key service, RealServer server) {}

  /** What one sync did. */
  public record SyncResult(
      IpvsPlan plan,
      boolean iptablesSucceeded,
      List<ConntrackAction> conntrackFlushes,
      String error) {}

  public IpvsProxier(
      IpvsOptions options, ChangeTracker tracker, IpvsKernel kernel, Iptables iptables) {
    if (tracker.family() != options.family() || iptables.family() != options.family()) {
      throw new IllegalArgumentException("family: tracker, iptables and options must agree");
    }
    this.options = options;
    this.tracker = tracker;
    this.kernel = kernel;
    this.iptables = iptables;
    this.planner = new IpvsPlanner(options);
    // as upstream's NewProxier: ipvsadm --set when any timeout is configured, 0 keeping the
    // kernel's value
    if (options.tcpTimeout().isPositive()
        || options.tcpFinTimeout().isPositive()
        || options.udpTimeout().isPositive()) {
      kernel.configureTimeouts(options.tcpTimeout(), options.tcpFinTimeout(), options.udpTimeout());
    }
  }

  public IpvsPlan lastPlan() {
    return lastPlan;
  }

  /** Real servers kept with weight 0 until their connections end, sorted. */
  public List<TerminatingServer> terminating() {
    List<TerminatingServer> out = new ArrayList<>(terminating.values());
    out.sort(
        (a, b) ->
            (a.service() + "/" + a.server().endpoint())
                .compareTo(b.service() + "/" + b.server().endpoint()));
    return out;
  }

  public SyncResult sync() {
    var changes = tracker.checkout();
    var node =
        NodeAddresses.of(
            kernel.interfaceAddresses(), options.family(), options.nodePortAddresses());
    IpvsPlan plan = planner.plan(tracker.servicePorts(), tracker::endpoints, node);
    kernel.ensureDummyDevice(IpvsPlanner.DUMMY_DEVICE);
    for (var e : plan.services().entrySet()) {
      VirtualServer vs = e.getKey();
      VirtualServer applied = kernel.virtualServers().get(vs.key());
      if (!vs.equals(applied)) {
        kernel.putVirtualServer(vs);
      }
      syncRealServers(vs.key(), e.getValue());
    }
    var bound = kernel.addresses(IpvsPlanner.DUMMY_DEVICE);
    for (IpAddress ip : plan.boundAddresses()) {
      if (!bound.contains(ip)) {
        kernel.bindAddress(ip, IpvsPlanner.DUMMY_DEVICE);
      }
    }
    kernel.restoreIpsets(plan.ipsets());
    ensureJumps();
    String error = "";
    try {
      iptables.restore(plan.iptablesRestore());
    } catch (Iptables.RestoreException ex) {
      error = ex.getMessage();
    }
    for (IpAddress ip : bound) {
      if (!plan.boundAddresses().contains(ip)) {
        kernel.unbindAddress(ip, IpvsPlanner.DUMMY_DEVICE);
      }
    }
    var wanted = new TreeSet<VirtualServer.Key>();
    plan.services().keySet().forEach(v -> wanted.add(v.key()));
    for (VirtualServer.Key key : kernel.virtualServers().keySet()) {
      if (!wanted.contains(key)
          && key.address().family() == options.family()
          && options.excludeCidrs().stream().noneMatch(c -> c.contains(key.address()))) {
        kernel.deleteVirtualServer(key);
        terminating.values().removeIf(t -> t.service().equals(key));
      }
    }
    lastPlan = plan;
    var flushes =
        error.isEmpty() ? StaleConntrack.plan(changes, tracker) : List.<ConntrackAction>of();
    return new SyncResult(plan, error.isEmpty(), flushes, error);
  }

  private void syncRealServers(VirtualServer.Key key, List<RealServer> wanted) {
    Map<String, RealServer> current = new HashMap<>();
    kernel.realServers(key).forEach(r -> current.put(r.endpoint(), r));
    for (RealServer rs : wanted) {
      String id = key + "/" + rs.endpoint();
      RealServer cur = current.get(rs.endpoint());
      if (cur != null && terminating.remove(id) == null && cur.weight() == rs.weight()) {
        continue;
      }
      kernel.putRealServer(key, rs);
    }
    var wantedIds = new TreeSet<String>();
    wanted.forEach(r -> wantedIds.add(r.endpoint()));
    for (RealServer cur : current.values()) {
      String id = key + "/" + cur.endpoint();
      if (wantedIds.contains(cur.endpoint()) || terminating.containsKey(id)) {
        continue;
      }
      boolean graceful = key.protocol() == Protocol.TCP;
      if (!graceful || kernel.connections(key, cur) == 0) {
        kernel.deleteRealServer(key, cur);
      } else {
        RealServer drained = new RealServer(cur.address(), cur.port(), 0);
        kernel.putRealServer(key, drained);
        terminating.put(id, new TerminatingServer(key, drained));
      }
    }
  }

  /** Deletes drained real servers that no longer carry connections (upstream: every minute). */
  public List<TerminatingServer> reapTerminated() {
    List<TerminatingServer> reaped = new ArrayList<>();
    for (TerminatingServer t : terminating()) {
      if (kernel.connections(t.service(), t.server()) == 0) {
        kernel.deleteRealServer(t.service(), t.server());
        terminating.remove(t.service() + "/" + t.server().endpoint());
        reaped.add(t);
      }
    }
    return reaped;
  }

  private void ensureJumps() {
    for (List<String> c : IpvsIptablesRules.CHAINS) {
      iptables.ensureChain(c.get(0), c.get(1));
    }
    for (List<String> j : IpvsIptablesRules.JUMPS) {
      iptables.ensureRule(
          Iptables.Position.PREPEND,
          j.get(0),
          j.get(1),
          List.of("-m", "comment", "--comment", j.get(3), "-j", j.get(2)));
    }
  }

  /** Whether an address falls in {@code ipvs.excludeCIDRs}. */
  boolean excluded(IpAddress ip) {
    for (IpPrefix c : options.excludeCidrs()) {
      if (c.contains(ip)) {
        return true;
      }
    }
    return false;
  }
}
