package dev.podpath.node.cni;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Bridge;
import dev.podpath.kernel.link.Veth;
import dev.podpath.kernel.route.RouteRequest;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link SandboxNetwork} on an emulated host: {@code CNI_NETNS} paths ({@code /var/run/netns/NAME}
 * or {@code /run/netns/NAME}) name the host's namespaces, the empty path its root namespace. Kernel
 * refusals become CNI errors carrying the kernel's words. Rules go through an {@code
 * iptables-restore} given by the caller, as the plugins run the real tool.
 */
public final class KernelSandboxNetwork implements SandboxNetwork {

  /** Applies {@code iptables-restore} text to a namespace; returns an error text or empty. */
  public interface Restore {
    Optional<String> apply(NetNamespace ns, String rules, boolean noflush);
  }

  private final Host host;
  private final Restore restore;

  public KernelSandboxNetwork(Host host, Restore restore) {
    this.host = host;
    this.restore = restore;
  }

  /** The namespace name a netns path names, if it is one of the standard locations. */
  public static Optional<String> namespaceName(String netnsPath) {
    for (String dir : new String[] {"/var/run/netns/", "/run/netns/"}) {
      if (netnsPath.startsWith(dir) && netnsPath.length() > dir.length()) {
        return Optional.of(netnsPath.substring(dir.length()));
      }
    }
    return Optional.empty();
  }

  private Optional<NetNamespace> find(String netnsPath) {
    if (netnsPath.isEmpty()) {
      return Optional.of(host.root());
    }
    return namespaceName(netnsPath).flatMap(host::findNamespace);
  }

  private NetNamespace ns(String netnsPath) throws CniException {
    return find(netnsPath)
        .orElseThrow(
            () ->
                CniException.internal(
                    "failed to open netns \""
                        + netnsPath
                        + "\": failed to Statfs \""
                        + netnsPath
                        + "\": no such file or directory"));
  }

  private static <T> T kernel(String what, Function<Void, T> op) throws CniException {
    try {
      return op.apply(null);
    } catch (KernelException e) {
      throw CniException.internal(what + ": " + e.getMessage());
    }
  }

  @Override
  public boolean netnsExists(String netnsPath) {
    return find(netnsPath).isPresent();
  }

  @Override
  public boolean linkExists(String netnsPath, String link) {
    return find(netnsPath).flatMap(ns -> ns.findLink(link)).isPresent();
  }

  @Override
  public String ensureBridge(String name, int mtu, boolean hairpinMode) throws CniException {
    NetNamespace root = host.root();
    var existing = root.findLink(name);
    if (existing.isPresent()) {
      if (!(existing.get() instanceof Bridge)) {
        throw CniException.internal(
            "could not set up bridge: " + name + " already exists but is not a bridge");
      }
    } else {
      kernel("failed to create bridge \"" + name + "\"", v -> root.addBridge(name));
      kernel(
          "failed to set bridge MTU",
          v -> {
            root.setMtu(name, mtu);
            return null;
          });
    }
    kernel(
        "failed to set bridge up",
        v -> {
          root.setUp(name, true);
          return null;
        });
    return root.link(name).mac().toString();
  }

  @Override
  public String[] createVeth(
      String netnsPath, String containerIf, String hostIf, String bridge, int mtu, boolean hairpin)
      throws CniException {
    NetNamespace container = ns(netnsPath);
    NetNamespace root = host.root();
    Veth inside =
        kernel(
            "failed to make veth pair",
            v -> container.addVeth(containerIf, hostIf, Optional.of(root)));
    kernel(
        "failed to set up veth",
        v -> {
          container.setMtu(containerIf, mtu);
          root.setMtu(hostIf, mtu);
          root.setMaster(hostIf, bridge);
          root.setUp(hostIf, true);
          container.setUp(containerIf, true);
          root.link(hostIf).setHairpin(hairpin);
          return null;
        });
    return new String[] {inside.peer().mac().toString(), inside.mac().toString()};
  }

  @Override
  public void addAddress(String netnsPath, String link, IpPrefix address) throws CniException {
    NetNamespace ns = ns(netnsPath);
    kernel(
        "failed to add IP addr " + address + " to \"" + link + "\"",
        v -> {
          ns.routing()
              .addAddress(link, address, Optional.empty(), Optional.empty(), Optional.empty());
          return null;
        });
  }

  @Override
  public boolean hasAddress(String netnsPath, String link, IpPrefix address) {
    return find(netnsPath)
        .map(ns -> ns.routing().addresses(link).stream().anyMatch(a -> a.prefix().equals(address)))
        .orElse(false);
  }

  @Override
  public void addRoute(
      String netnsPath, IpPrefix destination, Optional<IpAddress> via, String device)
      throws CniException {
    NetNamespace ns = ns(netnsPath);
    RouteRequest req = RouteRequest.to(destination).dev(device);
    RouteRequest full = via.map(req::via).orElse(req);
    kernel(
        "failed to add route '"
            + destination
            + " via "
            + via.map(IpAddress::toString).orElse("<nil>")
            + " dev "
            + device
            + "'",
        v -> ns.routing().addRoute(full));
  }

  @Override
  public void sysctl(String netnsPath, String key, String value) throws CniException {
    NetNamespace ns = ns(netnsPath);
    kernel(
        "failed to set " + key,
        v -> {
          ns.sysctls().set(key, value);
          return null;
        });
  }

  @Override
  public void linkUp(String netnsPath, String link) throws CniException {
    NetNamespace ns = ns(netnsPath);
    kernel(
        "failed to set " + link + " up",
        v -> {
          ns.setUp(link, true);
          return null;
        });
  }

  @Override
  public void deleteLink(String netnsPath, String link) {
    find(netnsPath)
        .filter(ns -> ns.findLink(link).isPresent())
        .ifPresent(ns -> ns.deleteLink(link));
  }

  @Override
  public Optional<String> vethPeer(String netnsPath, String link) {
    return find(netnsPath)
        .flatMap(ns -> ns.findLink(link))
        .filter(l -> l instanceof Veth)
        .map(l -> ((Veth) l).peer().name());
  }

  @Override
  public String mac(String netnsPath, String link) throws CniException {
    NetNamespace ns = ns(netnsPath);
    return kernel("failed to find " + link, v -> ns.link(link).mac().toString());
  }

  @Override
  public void iptablesRestore(String rules, boolean noflush) throws CniException {
    Optional<String> error = restore.apply(host.root(), rules, noflush);
    if (error.isPresent()) {
      throw CniException.internal(error.get());
    }
  }
}
