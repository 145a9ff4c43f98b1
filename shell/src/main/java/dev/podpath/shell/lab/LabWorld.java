package dev.podpath.shell.lab;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.shell.ToolResult;
import java.util.List;
import java.util.Optional;

/**
 * What the lab interpreter needs of an emulated world: hosts on a shared LAN, their network
 * namespaces, the real tools run in a namespace, servers and probes. The interpreter owns the lab's
 * syntax and expectations; the world owns the emulation ({@code KernelLabWorld} over the kernel;
 * tests use a scripted fake).
 */
public interface LabWorld {

  /** Where a command runs: a host's root namespace, or a named namespace of the host. */
  record Place(String host, Optional<String> namespace) {
    public static Place root(String host) {
      return new Place(host, Optional.empty());
    }

    /** {@code HOST} for a root namespace, {@code HOST/NS} otherwise. */
    public String label() {
      return namespace.map(ns -> host + "/" + ns).orElse(host);
    }
  }

  /** A setup step the world could not do; the interpreter reports it with the lab line. */
  final class SetupException extends RuntimeException {
    public SetupException(String message) {
      super(message);
    }
  }

  /** What a probe line asks for; {@code seed} seeds its sampled random choices. */
  record ProbeSpec(
      Protocol protocol,
      Optional<IpAddress> source,
      Optional<Integer> sourcePort,
      IpAddress destination,
      Optional<Integer> port,
      int count,
      boolean explore,
      long seed) {}

  boolean hasHost(String name);

  /** The hosts' names, sorted. */
  List<String> hostNames();

  /** Creates a host: a root namespace with {@code lo} up. */
  void createHost(String name);

  /** Adds a NIC on the lab's shared LAN to a host's root namespace, addressed and up. */
  void addNic(String host, String iface, IpAddress address, int prefixLength);

  /** Adds a default route via a gateway to a host's root namespace. */
  void addDefaultRoute(String host, IpAddress gateway);

  /** Whether the host has a named namespace. */
  boolean hasNamespace(String host, String namespace);

  /** Whether {@code name} is a tool this world can run (ip, iptables, sysctl, …). */
  boolean knowsTool(String name);

  /** Runs a tool in a place, with its argv (argv[0] the tool's name) and standard input. */
  ToolResult run(Place place, List<String> argv, Optional<String> stdin);

  /** Writes a value to a {@code /proc/sys/…} file of a place ({@code echo V > FILE}). */
  ToolResult writeFile(Place place, String path, String content, boolean append);

  /** Starts a server listening on a port in a place. */
  ToolResult serve(Place place, Protocol protocol, int port);

  /** Runs a probe's attempts from a place. */
  List<Attempt> probe(Place from, ProbeSpec spec);

  /** A probe target resolved by the world: an address and, when the target names one, a port. */
  record Target(IpAddress address, Optional<Integer> port) {}

  /**
   * A place written in the world's own terms ({@code pod/NS/NAME} in a cluster), or empty when
   * {@code spec} is not one; throws {@link SetupException} when it names something absent.
   */
  default Optional<Place> place(String spec) {
    return Optional.empty();
  }

  /**
   * A probe target that is not an address ({@code pod/NS/NAME[:PORT]}, {@code svc/NS/NAME:PORT}, a
   * DNS name resolved as {@code from} would resolve it), or empty when the world has no such
   * notion; throws {@link SetupException} when it cannot be resolved.
   */
  default Optional<Target> target(String spec, Place from) {
    return Optional.empty();
  }
}
