package dev.podpath.proxy.ipvs;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.SetSpec;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.kernel.ipvs.Destination;
import dev.podpath.kernel.ipvs.ForwardMethod;
import dev.podpath.kernel.ipvs.Scheduler;
import dev.podpath.kernel.ipvs.ServiceInfo;
import dev.podpath.kernel.ipvs.ServiceKey;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link IpvsKernel} over an emulated namespace: its IPVS table, its ipsets and a dummy device. The
 * emulated ipsets have no {@code hash:ip,port,ip} or {@code hash:ip,port,net} types; sets of those
 * types ({@code KUBE-LOOP-BACK}, {@code KUBE-LOAD-BALANCER-SOURCE-IP/-CIDR}) are not created, and a
 * ruleset that matches one (local endpoints, LB source ranges) is refused by {@code
 * iptables-restore} like on a kernel without those set types.
 */
public final class KernelIpvs implements IpvsKernel {

  private final NetNamespace ns;
  private final List<String> skippedSets = new ArrayList<>();

  public KernelIpvs(NetNamespace ns) {
    this.ns = ns;
  }

  /** Sets not created because the emulated kernel lacks their type. */
  public List<String> skippedSets() {
    return List.copyOf(skippedSets);
  }

  @Override
  public void ensureDummyDevice(String name) {
    if (ns.findLink(name).isEmpty()) {
      ns.addDummy(name);
      ns.setUp(name, true);
    }
  }

  @Override
  public SortedSet<IpAddress> addresses(String device) {
    var out = new TreeSet<IpAddress>();
    ns.routing().addresses(device).forEach(a -> out.add(a.address()));
    return out;
  }

  @Override
  public void bindAddress(IpAddress address, String device) {
    ns.routing()
        .addAddress(
            device, IpPrefix.host(address), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public void unbindAddress(IpAddress address, String device) {
    ns.routing().deleteAddress(device, IpPrefix.host(address));
  }

  @Override
  public SortedMap<VirtualServer.Key, VirtualServer> virtualServers() {
    var out = new TreeMap<VirtualServer.Key, VirtualServer>();
    for (ServiceInfo s : ns.ipvs().services()) {
      if (s.key() instanceof ServiceKey.Inet k) {
        var vs =
            new VirtualServer(
                k.address(),
                k.protocol(),
                k.port(),
                s.scheduler(),
                s.persistenceSeconds().orElse(0));
        out.put(vs.key(), vs);
      }
    }
    return out;
  }

  @Override
  public void putVirtualServer(VirtualServer server) {
    var key = key(server.key());
    Scheduler scheduler =
        Scheduler.find(server.scheduler())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "ipvs.scheduler: unknown scheduler " + server.scheduler()));
    Optional<Integer> persistence =
        server.persistenceSeconds() > 0
            ? Optional.of(server.persistenceSeconds())
            : Optional.empty();
    int mask = server.address().family() == IpFamily.IPV4 ? 32 : 128;
    if (virtualServers().containsKey(server.key())) {
      ns.ipvs().editService(key, scheduler, persistence, mask);
    } else {
      ns.ipvs().addService(key, scheduler, persistence, mask);
    }
  }

  @Override
  public void deleteVirtualServer(VirtualServer.Key key) {
    ns.ipvs().deleteService(key(key));
  }

  @Override
  public List<RealServer> realServers(VirtualServer.Key key) {
    List<RealServer> out = new ArrayList<>();
    for (Destination d : destinations(key)) {
      out.add(new RealServer(d.address(), d.port(), d.weight()));
    }
    out.sort(null);
    return out;
  }

  @Override
  public void putRealServer(VirtualServer.Key key, RealServer server) {
    boolean exists =
        destinations(key).stream()
            .anyMatch(d -> d.address().equals(server.address()) && d.port() == server.port());
    if (exists) {
      ns.ipvs()
          .editServer(
              key(key), server.address(), server.port(), ForwardMethod.MASQ, server.weight());
    } else {
      ns.ipvs()
          .addServer(
              key(key), server.address(), server.port(), ForwardMethod.MASQ, server.weight());
    }
  }

  @Override
  public void deleteRealServer(VirtualServer.Key key, RealServer server) {
    ns.ipvs().deleteServer(key(key), server.address(), server.port());
  }

  @Override
  public int connections(VirtualServer.Key key, RealServer server) {
    return destinations(key).stream()
        .filter(d -> d.address().equals(server.address()) && d.port() == server.port())
        .mapToInt(d -> d.activeConns() + d.inactiveConns())
        .sum();
  }

  @Override
  public void restoreIpsets(List<IpSet> sets) {
    var kernelSets = ns.netfilter().ipSets();
    skippedSets.clear();
    for (IpSet s : sets) {
      Optional<SetSpec> spec =
          switch (s.type()) {
            case HASH_IP -> Optional.of(SetSpec.hash(s.name(), SetType.HASH_IP, s.family()));
            case HASH_IP_PORT ->
                Optional.of(SetSpec.hash(s.name(), SetType.HASH_IP_PORT, s.family()));
            case BITMAP_PORT -> Optional.of(SetSpec.bitmapPort(s.name(), PortRange.ALL));
            case HASH_IP_PORT_IP, HASH_IP_PORT_NET -> Optional.empty();
          };
      if (spec.isEmpty()) {
        skippedSets.add(s.name());
        continue;
      }
      kernelSets.create(spec.get(), true);
      kernelSets.flush(Optional.of(s.name()));
      for (String e : s.entries()) {
        kernelSets.add(s.name(), element(s.type(), e), Optional.empty(), true);
      }
    }
  }

  private static Element element(IpSetType type, String entry) {
    return switch (type) {
      case HASH_IP -> new Element.Ip(IpAddress.parse(entry));
      case BITMAP_PORT -> new Element.Port(Integer.parseInt(entry));
      default -> {
        int comma = entry.indexOf(',');
        int colon = entry.lastIndexOf(':');
        yield new Element.IpPort(
            IpAddress.parse(entry.substring(0, comma)),
            Protocol.find(entry.substring(comma + 1, colon)).orElseThrow(),
            Integer.parseInt(entry.substring(colon + 1)));
      }
    };
  }

  private List<Destination> destinations(VirtualServer.Key key) {
    for (ServiceInfo s : ns.ipvs().services()) {
      if (s.key().equals(key(key))) {
        return s.destinations();
      }
    }
    return List.of();
  }

  private static ServiceKey key(VirtualServer.Key k) {
    return new ServiceKey.Inet(k.protocol(), k.address(), k.port());
  }
}
