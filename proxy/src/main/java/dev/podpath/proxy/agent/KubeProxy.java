package dev.podpath.proxy.agent;

import dev.podpath.net.IpFamily;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.ProxyMode;
import dev.podpath.proxy.conntrack.ConntrackAction;
import dev.podpath.proxy.iptables.Iptables;
import dev.podpath.proxy.iptables.IptablesOptions;
import dev.podpath.proxy.iptables.IptablesProxier;
import dev.podpath.proxy.ipvs.IpvsKernel;
import dev.podpath.proxy.ipvs.IpvsOptions;
import dev.podpath.proxy.ipvs.IpvsPlan;
import dev.podpath.proxy.ipvs.IpvsProxier;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/**
 * The kube-proxy of one node and address family, as {@code kube-proxy --config FILE} runs it: the
 * mode the configuration names (iptables or IPVS; nftables is not modelled), watch handlers that
 * record Service and EndpointSlice events, and {@link #sync()}.
 */
public final class KubeProxy {

  private final KubeProxyConfiguration config;
  private final ChangeTracker tracker;
  private final Optional<IptablesProxier> iptablesProxier;
  private final Optional<IpvsProxier> ipvsProxier;

  private KubeProxy(
      KubeProxyConfiguration config,
      ChangeTracker tracker,
      Optional<IptablesProxier> iptablesProxier,
      Optional<IpvsProxier> ipvsProxier) {
    this.config = config;
    this.tracker = tracker;
    this.iptablesProxier = iptablesProxier;
    this.ipvsProxier = ipvsProxier;
  }

  /**
   * A kube-proxy for {@code node} and {@code family} over the given kernel seams.
   *
   * @throws IllegalArgumentException for {@code mode: nftables}, which podpath does not model
   */
  public static KubeProxy create(
      KubeProxyConfiguration config,
      NodeInfo node,
      IpFamily family,
      Iptables iptables,
      IpvsKernel ipvs,
      VirtualClock clock) {
    String name = config.hostnameOverride().isEmpty() ? node.name() : config.hostnameOverride();
    var tracker = new ChangeTracker(family, name);
    return switch (config.mode()) {
      case IPTABLES -> {
        var options = IptablesOptions.of(config, node, family);
        if (!iptables.supportsNfacct()) {
          options = options.withoutNfacct();
        }
        yield new KubeProxy(
            config,
            tracker,
            Optional.of(new IptablesProxier(options, tracker, iptables, clock)),
            Optional.empty());
      }
      case IPVS ->
          new KubeProxy(
              config,
              tracker,
              Optional.empty(),
              Optional.of(
                  new IpvsProxier(IpvsOptions.of(config, node, family), tracker, ipvs, iptables)));
      case NFTABLES ->
          throw new IllegalArgumentException(
              "mode: nftables is not modelled by podpath; use iptables or ipvs");
    };
  }

  public ProxyMode mode() {
    return config.mode();
  }

  public void onService(Service service) {
    tracker.onService(service);
  }

  public void onServiceDeleted(String namespace, String name) {
    tracker.onServiceDeleted(namespace, name);
  }

  public void onEndpointSlice(EndpointSlice slice) {
    tracker.onEndpointSlice(slice);
  }

  public void onEndpointSliceDeleted(String namespace, String name) {
    tracker.onEndpointSliceDeleted(namespace, name);
  }

  /** What one sync programmed. */
  public record Sync(
      boolean succeeded,
      String iptablesRestoreInput,
      Optional<IpvsPlan> ipvs,
      List<ConntrackAction> conntrackFlushes,
      String error) {}

  /** Runs one sync of the configured mode. */
  public Sync sync() {
    if (iptablesProxier.isPresent()) {
      var r = iptablesProxier.get().sync();
      return new Sync(
          r.succeeded(), r.restoreInput(), Optional.empty(), r.conntrackFlushes(), r.error());
    }
    var r = ipvsProxier.orElseThrow().sync();
    return new Sync(
        r.iptablesSucceeded(),
        r.plan().iptablesRestore(),
        Optional.of(r.plan()),
        r.conntrackFlushes(),
        r.error());
  }

  /** The IPVS proxier, in IPVS mode (graceful termination is driven through it). */
  public Optional<IpvsProxier> ipvs() {
    return ipvsProxier;
  }

  /** The iptables proxier, in iptables mode. */
  public Optional<IptablesProxier> iptables() {
    return iptablesProxier;
  }
}
