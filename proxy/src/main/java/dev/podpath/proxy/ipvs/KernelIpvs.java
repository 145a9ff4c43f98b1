package dev.podpath.proxy.ipvs;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.SetSpec;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.kernel.ipvs.Destination;
import dev.podpath.kernel.ipvs.ForwardMethod;
import dev.podpath.kernel.ipvs.Ipvs;
import dev.podpath.kernel.ipvs.Scheduler;
import dev.podpath.kernel.ipvs.ServiceInfo;
import dev.podpath.kernel.ipvs.ServiceKey;
import dev.podpath.kernel.netfilter.rule.PortRange;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;
import dev.podpath.proxy.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link IpvsKernel} over an emulated namespace: its IPVS table, its ipsets (every type IPVS mode
 * uses, {@code hash:ip,port,ip} and {@code hash:ip,port,net} included) and a dummy device.
 */
public final class KernelIpvs implements IpvsKernel {

  private final NetNamespace ns;

  public KernelIpvs(NetNamespace ns) {
    this.ns = ns;
  }

  @Override
  public void ensureDummyDevice(String name) {
    if (ns.findLink(name).isEmpty()) {
      ns.addDummy(name);
      ns.setUp(name, true);
    }
  }

  @Override
  public List<NodeInfo.InterfaceAddress> interfaceAddresses() {
    return ns.routing().addresses().stream()
        .map(a -> new NodeInfo.InterfaceAddress(a.device(), a.prefix()))
        .toList();
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
  public void configureTimeouts(Duration tcp, Duration tcpFin, Duration udp) {
    var current = ns.ipvs().timeouts();
    ns.ipvs()
        .setTimeouts(
            new Ipvs.Timeouts(
                tcp.isZero() ? current.tcp() : tcp,
                tcpFin.isZero() ? current.tcpFin() : tcpFin,
                udp.isZero() ? current.udp() : udp));
  }

  @Override
  public void restoreIpsets(List<IpSet> sets) {
    var kernelSets = ns.netfilter().ipSets();
    for (IpSet s : sets) {
      SetSpec spec =
          switch (s.type()) {
            case HASH_IP -> SetSpec.hash(s.name(), SetType.HASH_IP, s.family());
            case HASH_IP_PORT -> SetSpec.hash(s.name(), SetType.HASH_IP_PORT, s.family());
            case HASH_IP_PORT_IP -> SetSpec.hash(s.name(), SetType.HASH_IP_PORT_IP, s.family());
            case HASH_IP_PORT_NET -> SetSpec.hash(s.name(), SetType.HASH_IP_PORT_NET, s.family());
            case BITMAP_PORT -> SetSpec.bitmapPort(s.name(), PortRange.ALL);
          };
      kernelSets.create(spec, true);
      kernelSets.flush(Optional.of(s.name()));
      for (String e : s.entries()) {
        kernelSets.add(s.name(), element(s.type(), e), Optional.empty(), true);
      }
    }
  }

  /** Parses an entry in {@code ipset}'s syntax ({@code IP,PROTO:PORT[,IP|,CIDR]}, {@code PORT}). */
  static Element element(IpSetType type, String entry) {
    if (type == IpSetType.BITMAP_PORT) {
      return new Element.Port(Integer.parseInt(entry));
    }
    String[] parts = entry.split(",", -1);
    IpAddress ip = IpAddress.parse(parts[0]);
    if (type == IpSetType.HASH_IP) {
      return new Element.Ip(ip);
    }
    int colon = parts[1].lastIndexOf(':');
    Protocol proto =
        Protocol.find(parts[1].substring(0, colon))
            .orElseThrow(() -> new IllegalArgumentException("ipset entry " + entry));
    int port = Integer.parseInt(parts[1].substring(colon + 1));
    return switch (type) {
      case HASH_IP_PORT -> new Element.IpPort(ip, proto, port);
      case HASH_IP_PORT_IP -> new Element.IpPortIp(ip, proto, port, IpAddress.parse(parts[2]));
      case HASH_IP_PORT_NET ->
          new Element.IpPortNet(
              ip,
              proto,
              port,
              parts[2].contains("/")
                  ? IpPrefix.parse(parts[2])
                  : IpPrefix.host(IpAddress.parse(parts[2])));
      default -> throw new IllegalStateException("unreachable: " + type);
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
