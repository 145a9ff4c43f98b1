package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory {@link IpvsKernel}; the node's interface addresses and connection counts are set by
 * hand (as upstream's {@code FakeNetlinkHandle.SetLocalAddresses}).
 */
public final class FakeIpvsKernel implements IpvsKernel {

  /** A fake kernel whose interfaces hold the addresses {@code node} lists (loopback included). */
  public static FakeIpvsKernel of(NodeInfo node) {
    var k = new FakeIpvsKernel();
    node.addresses().forEach(a -> k.bindAddress(a.prefix().address(), a.device()));
    return k;
  }

  private final Map<String, SortedSet<IpAddress>> devices = new TreeMap<>();
  private final SortedMap<VirtualServer.Key, VirtualServer> services = new TreeMap<>();
  private final Map<VirtualServer.Key, SortedMap<String, RealServer>> reals = new HashMap<>();
  private final Map<String, Integer> connections = new HashMap<>();
  private final SortedMap<String, IpSet> ipsets = new TreeMap<>();
  private final List<List<Duration>> timeoutCalls = new ArrayList<>();

  @Override
  public void ensureDummyDevice(String name) {
    devices.computeIfAbsent(name, k -> new TreeSet<>());
  }

  @Override
  public List<NodeInfo.InterfaceAddress> interfaceAddresses() {
    List<NodeInfo.InterfaceAddress> out = new ArrayList<>();
    devices.forEach(
        (device, ips) ->
            ips.forEach(ip -> out.add(new NodeInfo.InterfaceAddress(device, IpPrefix.host(ip)))));
    return out;
  }

  @Override
  public SortedSet<IpAddress> addresses(String device) {
    return Collections.unmodifiableSortedSet(
        new TreeSet<>(devices.getOrDefault(device, new TreeSet<>())));
  }

  @Override
  public void bindAddress(IpAddress address, String device) {
    devices.computeIfAbsent(device, k -> new TreeSet<>()).add(address);
  }

  @Override
  public void unbindAddress(IpAddress address, String device) {
    devices.getOrDefault(device, new TreeSet<>()).remove(address);
  }

  @Override
  public SortedMap<VirtualServer.Key, VirtualServer> virtualServers() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(services));
  }

  @Override
  public void putVirtualServer(VirtualServer server) {
    services.put(server.key(), server);
    reals.computeIfAbsent(server.key(), k -> new TreeMap<>());
  }

  @Override
  public void deleteVirtualServer(VirtualServer.Key key) {
    services.remove(key);
    reals.remove(key);
  }

  @Override
  public List<RealServer> realServers(VirtualServer.Key key) {
    List<RealServer> out = new ArrayList<>(reals.getOrDefault(key, new TreeMap<>()).values());
    out.sort(null);
    return out;
  }

  @Override
  public void putRealServer(VirtualServer.Key key, RealServer server) {
    if (!services.containsKey(key)) {
      throw new IllegalStateException("no virtual service " + key);
    }
    reals.get(key).put(server.endpoint(), server);
  }

  @Override
  public void deleteRealServer(VirtualServer.Key key, RealServer server) {
    reals.getOrDefault(key, new TreeMap<>()).remove(server.endpoint());
    connections.remove(key + "/" + server.endpoint());
  }

  @Override
  public int connections(VirtualServer.Key key, RealServer server) {
    return connections.getOrDefault(key + "/" + server.endpoint(), 0);
  }

  /** Sets the connection count of a real server. */
  public void setConnections(VirtualServer.Key key, String endpoint, int count) {
    connections.put(key + "/" + endpoint, count);
  }

  @Override
  public void configureTimeouts(Duration tcp, Duration tcpFin, Duration udp) {
    timeoutCalls.add(List.of(tcp, tcpFin, udp));
  }

  /** The {@link #configureTimeouts} calls made, each as tcp, tcpfin, udp. */
  public List<List<Duration>> timeoutCalls() {
    return List.copyOf(timeoutCalls);
  }

  @Override
  public void restoreIpsets(List<IpSet> sets) {
    ipsets.clear();
    sets.forEach(s -> ipsets.put(s.name(), s));
  }

  /** The ipsets, by name. */
  public SortedMap<String, IpSet> ipsets() {
    return Collections.unmodifiableSortedMap(ipsets);
  }
}
