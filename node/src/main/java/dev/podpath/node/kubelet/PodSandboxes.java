package dev.podpath.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.kernel.Host;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.IpAddress;
import dev.podpath.node.cni.CniException;
import dev.podpath.node.cni.CniRuntime;
import dev.podpath.node.cni.NetworkConfigList;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pod sandboxes of one node, as containerd's CRI plugin makes them for the kubelet: a network
 * namespace per pod ({@code cni-<namespace>-<name>}; containerd draws a UUID, podpath keeps names
 * readable), the {@code loopback} plugin for {@code lo}, then the node's CNI configuration list for
 * {@code eth0}; the pod's IPs are the result's addresses. Deleting a sandbox runs CNI DEL and
 * removes the namespace. Host-network pods get no sandbox: their IPs are the node's.
 */
public final class PodSandboxes {

  /** A running sandbox: where the pod lives and the addresses CNI gave it. */
  public record Sandbox(String podKey, String netns, List<IpAddress> ips, ObjectNode cniResult) {}

  private static final NetworkConfigList LOOPBACK;

  static {
    try {
      LOOPBACK =
          NetworkConfigList.parse(
              "{\"cniVersion\":\"1.0.0\",\"name\":\"cni-loopback\","
                  + "\"plugins\":[{\"type\":\"loopback\"}]}");
    } catch (CniException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Host host;
  private final CniRuntime runtime;
  private final NetworkConfigList network;
  private final Map<String, Sandbox> sandboxes = new TreeMap<>();

  public PodSandboxes(Host host, CniRuntime runtime, NetworkConfigList network) {
    this.host = host;
    this.runtime = runtime;
    this.network = network;
  }

  /** The node's host. */
  public Host host() {
    return host;
  }

  /** The sandbox namespace name of a pod. */
  public static String netnsName(String namespace, String name) {
    return "cni-" + namespace + "-" + name;
  }

  /** {@code namespace/name}. */
  public static String key(Pod pod) {
    return dev.podpath.kube.loop.WorkQueue.keyOf(pod);
  }

  public Optional<Sandbox> sandbox(String podKey) {
    return Optional.ofNullable(sandboxes.get(podKey));
  }

  public List<Sandbox> sandboxes() {
    return List.copyOf(sandboxes.values());
  }

  /** Creates the pod's sandbox and runs CNI ADD; on failure nothing is left behind. */
  public Sandbox start(Pod pod) throws CniException {
    return start(pod, Optional.empty());
  }

  /**
   * Creates the pod's sandbox asking IPAM for {@code wanted} (a pod from a live dump keeps the
   * address it had), and runs CNI ADD; on failure nothing is left behind.
   */
  public Sandbox start(Pod pod, Optional<IpAddress> wanted) throws CniException {
    String key = key(pod);
    Sandbox existing = sandboxes.get(key);
    if (existing != null) {
      return existing;
    }
    String ns = netnsName(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    String path = "/var/run/netns/" + ns;
    String id = containerId(pod);
    NetNamespace sandbox = host.addNamespace(ns);
    try {
      runtime.add(LOOPBACK, id, path, "lo", Map.of());
      ObjectNode result =
          runtime.add(
              network,
              id,
              path,
              "eth0",
              Map.of(),
              wanted.map(a -> "IgnoreUnknown=1;IP=" + a).orElse(""));
      var ips = new ArrayList<IpAddress>();
      for (JsonNode ip : result.path("ips")) {
        String a = ip.path("address").asText();
        ips.add(IpAddress.parse(a.substring(0, a.indexOf('/'))));
      }
      var s = new Sandbox(key, sandbox.name(), List.copyOf(ips), result);
      sandboxes.put(key, s);
      return s;
    } catch (CniException e) {
      try {
        runtime.del(network, id, path, "eth0", Map.of());
      } catch (CniException ignored) {
        // every ADD is followed by a DEL, even a failed one; its own failure changes nothing
      }
      host.deleteNamespace(ns);
      throw e;
    }
  }

  /** Runs CNI DEL and removes the pod's namespace; absent sandboxes are fine. */
  public void stop(String podKey) throws CniException {
    Sandbox s = sandboxes.remove(podKey);
    if (s == null) {
      return;
    }
    String path = "/var/run/netns/" + s.netns();
    String id = podKey.replace('/', '_');
    runtime.del(network, id, path, "eth0", Map.of());
    runtime.del(LOOPBACK, id, path, "lo", Map.of());
    host.deleteNamespace(s.netns());
  }

  /** The CNI container id of a pod's sandbox ({@code CNI_CONTAINERID}). */
  static String containerId(Pod pod) {
    return pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName();
  }
}
