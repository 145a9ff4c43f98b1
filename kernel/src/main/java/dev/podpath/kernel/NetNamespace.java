package dev.podpath.kernel;

import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.Dummy;
import dev.podpath.kernel.link.Ipip;
import dev.podpath.kernel.link.Link;
import dev.podpath.kernel.link.LinkContainer;
import dev.podpath.kernel.link.Loopback;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.kernel.link.Nic;
import dev.podpath.kernel.link.Veth;
import dev.podpath.kernel.link.Vxlan;
import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.path.AddressType;
import dev.podpath.kernel.path.HookTable;
import dev.podpath.kernel.path.NamespaceView;
import dev.podpath.kernel.route.Scope;
import dev.podpath.kernel.socket.Sockets;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One network namespace: its devices, addresses and routes ({@link #routing()}), sysctls, neighbour
 * entries, listening sockets, and its netfilter hooks with the {@link Netfilter} that owns the
 * tables, conntrack and ip sets (exactly one per namespace, created here). The methods mirror
 * {@code ip link} and throw {@link KernelException} with iproute2's words where it refuses.
 */
public final class NetNamespace implements NamespaceView, LinkContainer {

  private final Host host;
  private final String name;
  private final Sysctls sysctls = new Sysctls();
  private final TreeMap<Integer, Link> links = new TreeMap<>();
  private final Routing routing;
  private final Neighbours neighbours;
  private final HookTable hooks = new HookTable();
  private final Sockets sockets = new Sockets();
  private final Netfilter netfilter;
  private final dev.podpath.kernel.ipvs.Ipvs ipvs;
  private int nextIfindex = 2;

  NetNamespace(Host host, String name) {
    this.host = host;
    this.name = name;
    this.routing = new Routing(this);
    this.neighbours = new Neighbours(() -> host.world().clock().nanos());
    var lo = new Loopback(this);
    links.put(1, lo);
    sysctls.addDevice("lo");
    this.netfilter = new Netfilter(this, hooks);
    this.ipvs = new dev.podpath.kernel.ipvs.Ipvs(this, hooks);
    // not checked on the real kernel: IPVS keeps conntrack on while it has services
    netfilter.alsoTrackWhile(ipvs::hasServices);
  }

  public Host host() {
    return host;
  }

  @Override
  public String hostName() {
    return host.name();
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether this is the host's root namespace. */
  public boolean isRoot() {
    return host.root() == this;
  }

  /** {@code host} for the root namespace, {@code host/ns} otherwise (the lab's spelling). */
  public String where() {
    return isRoot() ? host.name() : host.name() + "/" + name;
  }

  public Sysctls sysctls() {
    return sysctls;
  }

  public Routing routing() {
    return routing;
  }

  public Neighbours neighbours() {
    return neighbours;
  }

  public HookTable hooks() {
    return hooks;
  }

  public Netfilter netfilter() {
    return netfilter;
  }

  public dev.podpath.kernel.ipvs.Ipvs ipvs() {
    return ipvs;
  }

  public Sockets sockets() {
    return sockets;
  }

  // ---------------------------------------------------------------- links

  /** The devices, by index. */
  public List<Link> links() {
    return List.copyOf(links.values());
  }

  public Optional<Link> findLink(String linkName) {
    for (var l : links.values()) {
      if (l.name().equals(linkName)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** The device; {@code Cannot find device "NAME"} if there is none. */
  public Link link(String linkName) {
    return findLink(linkName).orElseThrow(() -> KernelException.noDevice(linkName));
  }

  public Optional<Link> linkByIndex(int ifindex) {
    return Optional.ofNullable(links.get(ifindex));
  }

  public Loopback loopback() {
    return (Loopback) links.get(1);
  }

  private void checkFree(String linkName) {
    Link.checkName(linkName);
    if (findLink(linkName).isPresent()) {
      throw KernelException.rtnetlink(Errno.EEXIST);
    }
  }

  private MacAddress newMac(String linkName) {
    return host.world().newMac(where() + "/" + linkName);
  }

  private <L extends Link> L attach(L link) {
    links.put(link.ifindex(), link);
    sysctls.addDevice(link.name());
    return link;
  }

  int allocateIfindex() {
    while (links.containsKey(nextIfindex)) {
      nextIfindex++;
    }
    return nextIfindex++;
  }

  /** {@code ip link add NAME type veth peer name PEER [netns PEERNS]}: returns this end. */
  public Veth addVeth(String linkName, String peerName, Optional<NetNamespace> peerNamespace) {
    var other = peerNamespace.orElse(this);
    checkFree(linkName);
    other.checkFree(peerName);
    if (other == this && linkName.equals(peerName)) {
      throw KernelException.rtnetlink(Errno.EEXIST);
    }
    int i2 = other.allocateIfindex(); // the peer is numbered first, as Linux does
    int i1 = allocateIfindex();
    var pair =
        Veth.pair(
            this, linkName, i1, newMac(linkName), other, peerName, i2, other.newMac(peerName));
    attach(pair[0]);
    other.attach(pair[1]);
    return pair[0];
  }

  /** {@code ip link add NAME type bridge}. */
  public Bridge addBridge(String linkName) {
    checkFree(linkName);
    return attach(new Bridge(this, linkName, allocateIfindex(), newMac(linkName)));
  }

  /** {@code ip link add NAME type dummy}. */
  public Dummy addDummy(String linkName) {
    checkFree(linkName);
    return attach(new Dummy(this, linkName, allocateIfindex(), newMac(linkName)));
  }

  /** {@code ip link add NAME type vxlan id VNI [local A] [remote B] [dev D] [dstport P]}. */
  public Vxlan addVxlan(
      String linkName,
      int vni,
      Optional<IpAddress> local,
      Optional<IpAddress> remote,
      Optional<String> underlay,
      int dstPort) {
    checkFree(linkName);
    underlay.ifPresent(this::link);
    return attach(
        new Vxlan(
            this,
            linkName,
            allocateIfindex(),
            newMac(linkName),
            vni,
            local,
            remote,
            underlay,
            dstPort));
  }

  /**
   * {@code ip link add NAME type ipip [local A] [remote B]}. The first one loads the module, which
   * gives every namespace of the host its fallback {@code tunl0}, before the name is checked: so
   * {@code ip link add tunl0 type ipip} answers "File exists" and leaves the fallback device there
   * ({@code rtnl_newlink} looks the name up again after loading the module).
   */
  public Ipip addIpip(
      String linkName,
      Optional<IpAddress> local,
      Optional<IpAddress> remote,
      int ttl,
      boolean pmtudisc) {
    Link.checkName(linkName);
    host.loadIpip();
    checkFree(linkName);
    return attach(new Ipip(this, linkName, allocateIfindex(), local, remote, ttl, pmtudisc, false));
  }

  /** The module's fallback {@code tunl0} (both endpoints any, down). */
  void addFallbackTunnel() {
    if (findLink("tunl0").isEmpty()) {
      attach(
          new Ipip(
              this,
              "tunl0",
              allocateIfindex(),
              Optional.empty(),
              Optional.empty(),
              0,
              false,
              true));
    }
  }

  /** A NIC cabled to {@code segment} (hardware: only hosts get them, see {@link Host#addNic}). */
  Nic addNic(String linkName, String segment) {
    checkFree(linkName);
    return attach(new Nic(this, linkName, allocateIfindex(), newMac(linkName), segment));
  }

  /** {@code ip link del NAME}: a veth takes its peer with it; a NIC cannot be deleted. */
  public void deleteLink(String linkName) {
    Link l = link(linkName);
    switch (l) {
      case Loopback lo -> throw KernelException.rtnetlink(Errno.EOPNOTSUPP);
      case Nic n -> throw KernelException.rtnetlink(Errno.EOPNOTSUPP);
      case Ipip t when t.fallback() -> {} // ip_tunnel_dellink leaves the fallback device alone
      case Veth v -> {
        detach(v);
        ((NetNamespace) v.peer().namespace()).detach(v.peer());
      }
      default -> detach(l);
    }
  }

  void detach(Link l) {
    l.master().ifPresent(b -> b.removePort(l));
    if (l instanceof Bridge b) {
      b.ports().forEach(b::removePort);
    }
    routing.linkRemoved(l);
    neighbours.forgetDevice(l.name());
    sysctls.removeDevice(l.name());
    links.remove(l.ifindex());
  }

  /** {@code ip link set NAME up|down}. */
  public void setUp(String linkName, boolean up) {
    Link l = link(linkName);
    boolean was = l.adminUp();
    l.setAdminUp(up);
    if (up && !was) {
      if (l instanceof Loopback && routing.addresses("lo").isEmpty()) {
        routing.addAddress(
            "lo",
            IpPrefix.parse("127.0.0.1/8"),
            Optional.of(Scope.HOST),
            Optional.empty(),
            Optional.empty());
        routing.addAddress(
            "lo",
            IpPrefix.parse("::1/128"),
            Optional.of(Scope.HOST),
            Optional.empty(),
            Optional.empty());
      }
      routing.linkUp(l);
    } else if (!up && was) {
      routing.linkDown(l);
    }
    carrierChanged(l);
  }

  /** A device's state changed: it, its veth peer and its bridge may have gained or lost carrier. */
  private void carrierChanged(Link l) {
    routing.refreshLinkLocal(l);
    if (l instanceof Veth v) {
      var peerNs = (NetNamespace) v.peer().namespace();
      peerNs.routing.refreshLinkLocal(v.peer());
      v.peer().master().ifPresent(b -> peerNs.routing.refreshLinkLocal(b));
    }
    l.master().ifPresent(routing::refreshLinkLocal);
  }

  /** {@code ip link set NAME name NEW}: only while down (EBUSY otherwise). */
  public void rename(String linkName, String newName) {
    Link l = link(linkName);
    if (l.adminUp()) {
      throw KernelException.rtnetlink(Errno.EBUSY);
    }
    checkFree(newName);
    l.rename(newName);
    routing.linkRenamed(linkName, newName);
    neighbours.renameDevice(linkName, newName);
    sysctls.renameDevice(linkName, newName);
  }

  /** {@code ip link set NAME mtu N}. */
  public void setMtu(String linkName, int mtu) {
    Link l = link(linkName);
    if (mtu < 68 || mtu > (l instanceof Loopback ? 65536 : 65535)) {
      throw KernelException.extack(Errno.EINVAL, "mtu greater than device maximum.");
    }
    l.setMtu(Math.min(mtu, 65535));
  }

  /** {@code ip link set PORT master BRIDGE}. */
  public void setMaster(String port, String bridge) {
    Link p = link(port);
    Link b = link(bridge);
    if (!(b instanceof Bridge br) || p instanceof Loopback || p == b) {
      throw KernelException.rtnetlink(Errno.EOPNOTSUPP);
    }
    br.addPort(p);
    carrierChanged(p);
  }

  /** {@code ip link set PORT nomaster}. */
  public void setNoMaster(String port) {
    Link p = link(port);
    p.master().ifPresent(b -> b.removePort(p));
  }

  /**
   * {@code ip link set NAME netns OTHER}: the device goes down and loses its addresses and routes,
   * keeping its index unless the target namespace has it taken.
   */
  public void moveLink(String linkName, NetNamespace target) {
    Link l = link(linkName);
    if (l instanceof Loopback || (l instanceof Ipip t && t.fallback())) {
      throw KernelException.rtnetlink(Errno.EINVAL); // NETIF_F_NETNS_LOCAL
    }
    if (target == this) {
      return;
    }
    if (target.findLink(linkName).isPresent()) {
      throw KernelException.rtnetlink(Errno.EEXIST);
    }
    setUp(linkName, false);
    detach(l);
    l.moveTo(target);
    if (target.links.containsKey(l.ifindex())) {
      l.setIfindex(target.allocateIfindex());
    }
    target.attach(l);
  }

  /** The link {@code ip link} shows after {@code link-netns}: a veth's peer namespace if other. */
  public Optional<String> linkNetns(Link l) {
    if (l instanceof Veth v && v.peer().namespace() != this) {
      return Optional.of(v.peer().namespace().name());
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- NamespaceView

  @Override
  public AddressType addressType(IpAddress address, Optional<String> device) {
    return routing.addressType(address, device);
  }

  /**
   * {@code inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)}, as MASQUERADE asks it: global
   * addresses only.
   */
  @Override
  public Optional<IpAddress> selectSource(IpAddress destination, String device) {
    return routing.selectSource(device, destination, Scope.GLOBAL);
  }

  @Override
  public Optional<IpAddress> primaryAddress(String device, IpFamily family) {
    return routing.addresses(device).stream()
        .filter(a -> a.family() == family && !a.secondary())
        .map(a -> a.address())
        .findFirst();
  }

  @Override
  public String sysctl(String key) {
    return sysctls
        .find(key)
        .orElseThrow(() -> new IllegalArgumentException("sysctl: no key " + key));
  }

  @Override
  public VirtualClock clock() {
    return host.world().clock();
  }

  @Override
  public String toString() {
    return where();
  }
}
