package dev.podpath.proxy.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.proxy.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The seam between kube-proxy's IPVS mode and the kernel: the dummy device and its addresses
 * (netlink), IPVS virtual and real servers, and ipsets — the calls upstream makes through its
 * {@code NetLinkHandle}, {@code utilipvs.Interface} and {@code utilipset.Interface}. {@link
 * FakeIpvsKernel} is the in-memory implementation.
 */
public interface IpvsKernel {

  /** Creates the dummy device unless it exists. */
  void ensureDummyDevice(String name);

  /**
   * Every address on every interface of the node, all families (netlink's address dump); the IPVS
   * proxier reads it at each sync to find the node addresses NodePorts are served on.
   */
  List<NodeInfo.InterfaceAddress> interfaceAddresses();

  /** The addresses bound to a device. */
  SortedSet<IpAddress> addresses(String device);

  void bindAddress(IpAddress address, String device);

  void unbindAddress(IpAddress address, String device);

  /** Every virtual service, by key. */
  SortedMap<VirtualServer.Key, VirtualServer> virtualServers();

  /** Adds or replaces (same key) a virtual service. */
  void putVirtualServer(VirtualServer server);

  void deleteVirtualServer(VirtualServer.Key key);

  /** The real servers of a virtual service, sorted. */
  List<RealServer> realServers(VirtualServer.Key key);

  /** Adds or replaces (same address and port) a real server. */
  void putRealServer(VirtualServer.Key key, RealServer server);

  void deleteRealServer(VirtualServer.Key key, RealServer server);

  /** Active plus inactive connections through a real server. */
  int connections(VirtualServer.Key key, RealServer server);

  /**
   * {@code ipvsadm --set TCP TCPFIN UDP}: the connection timeouts; a zero keeps the current value.
   */
  void configureTimeouts(Duration tcp, Duration tcpFin, Duration udp);

  /** Makes the kernel's ipsets exactly these (create, add and delete entries). */
  void restoreIpsets(List<IpSet> sets);
}
