package dev.podpath.kernel;

import dev.podpath.kernel.link.Nic;
import dev.podpath.kernel.link.Veth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One emulated Linux machine: a root network namespace named after the host, and named namespaces
 * ({@code ip netns add|del|list}). NICs are cabled to segments of the {@link World}.
 */
public final class Host {

  private final World world;
  private final String name;
  private final NetNamespace root;
  private final TreeMap<String, NetNamespace> named = new TreeMap<>();
  private boolean ipipLoaded;
  private int cpus = 2;

  Host(World world, String name) {
    this.world = world;
    this.name = name;
    this.root = new NetNamespace(this, name);
    root.setUp("lo", true);
  }

  /**
   * The host's CPU count ({@code num_possible_cpus}): a veth gets that many queues each way. Two by
   * default, as on the machine the {@code ip} goldens were recorded on.
   */
  public int cpus() {
    return cpus;
  }

  public void setCpus(int cpus) {
    if (cpus < 1) {
      throw new IllegalArgumentException("cpus must be at least 1, got " + cpus);
    }
    this.cpus = cpus;
  }

  public World world() {
    return world;
  }

  public String name() {
    return name;
  }

  /** The root namespace (its name is the host's). */
  public NetNamespace root() {
    return root;
  }

  /** {@code ip netns add NAME}: a fresh namespace with {@code lo} down. */
  public NetNamespace addNamespace(String nsName) {
    if (nsName.isEmpty() || nsName.contains("/") || nsName.equals(".") || nsName.equals("..")) {
      throw KernelException.tool(Errno.EINVAL, "Invalid netns name \"" + nsName + "\"");
    }
    if (named.containsKey(nsName)) {
      throw KernelException.tool(
          Errno.EEXIST,
          "Cannot create namespace file \"/var/run/netns/" + nsName + "\": File exists");
    }
    var ns = new NetNamespace(this, nsName);
    if (ipipLoaded) {
      ns.addFallbackTunnel();
    }
    named.put(nsName, ns);
    return ns;
  }

  /**
   * {@code ip netns del NAME}: its veths are destroyed with their peers, NICs go back to the root
   * namespace, other devices are destroyed.
   */
  public void deleteNamespace(String nsName) {
    var ns = named.get(nsName);
    if (ns == null) {
      throw KernelException.tool(
          Errno.ENOENT,
          "Cannot remove namespace file \"/var/run/netns/"
              + nsName
              + "\": No such file or directory");
    }
    for (var l : ns.links()) {
      switch (l) {
        case Nic n -> ns.moveLink(n.name(), root);
        case Veth v -> {
          if (ns.findLink(v.name()).isPresent()) {
            ns.deleteLink(v.name());
          }
        }
        default -> {
          if (l.ifindex() != 1) {
            ns.detach(l);
          }
        }
      }
    }
    named.remove(nsName);
  }

  /** {@code ip netns list}: the names, sorted. */
  public List<String> namespaceNames() {
    return List.copyOf(named.keySet());
  }

  /** A named namespace. */
  public Optional<NetNamespace> findNamespace(String nsName) {
    return Optional.ofNullable(named.get(nsName));
  }

  /**
   * The root namespace for the host's own name, else the named namespace; ENOENT as {@code ip netns
   * exec} says.
   */
  public NetNamespace namespace(String nsName) {
    if (nsName.equals(name) && !named.containsKey(nsName)) {
      return root;
    }
    var ns = named.get(nsName);
    if (ns == null) {
      throw KernelException.tool(
          Errno.ENOENT,
          "Cannot open network namespace \"" + nsName + "\": No such file or directory");
    }
    return ns;
  }

  /** The root namespace then the named ones, sorted. */
  public List<NetNamespace> namespaces() {
    var out = new ArrayList<NetNamespace>();
    out.add(root);
    out.addAll(named.values());
    return out;
  }

  /** Whether the {@code ipip} module is loaded (a tunnel was created on this host). */
  public boolean ipipLoaded() {
    return ipipLoaded;
  }

  /**
   * Loads the {@code ipip} module (as creating the first ipip device does, {@code rtnl-link-ipip}):
   * every namespace, and every later one, gets its fallback {@code tunl0}.
   */
  void loadIpip() {
    if (!ipipLoaded) {
      ipipLoaded = true;
      namespaces().forEach(NetNamespace::addFallbackTunnel);
    }
  }

  /** Plugs a NIC named {@code nicName} into {@code segment} (created if new); the NIC is down. */
  public Nic addNic(String nicName, String segment) {
    return root.addNic(nicName, segment);
  }

  @Override
  public String toString() {
    return name;
  }
}
