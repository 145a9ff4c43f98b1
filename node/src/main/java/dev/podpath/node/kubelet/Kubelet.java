package dev.podpath.node.kubelet;

import dev.podpath.kube.loop.Controller;
import dev.podpath.kube.loop.WorkQueue;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.net.IpAddress;
import dev.podpath.node.cni.CniException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet of one node, as far as the network sees it: it watches the pods bound to its node
 * ({@code spec.nodeName}), gives each a sandbox through CNI and reports the pod's IPs, phase and
 * conditions in its status; it tears the sandbox down when the pod is deleted and then confirms the
 * deletion. Host-network pods share the node's root namespace and carry the node's address. A pod
 * whose status already names an IP (a live dump) keeps it, and its conditions are left as the dump
 * says. Containers are not modelled beyond this: a pod is Running and Ready once its sandbox is up,
 * and it listens on every {@code containerPort} it declares (TCP, UDP), so probes to it are
 * answered the way a serving container would answer them.
 */
public final class Kubelet implements Controller {

  private final String nodeName;
  private final IpAddress nodeIp;
  private final PodSandboxes sandboxes;
  private final List<String> failures = new ArrayList<>();
  private ApiStore store;

  public Kubelet(String nodeName, IpAddress nodeIp, PodSandboxes sandboxes) {
    this.nodeName = nodeName;
    this.nodeIp = nodeIp;
    this.sandboxes = sandboxes;
  }

  @Override
  public String name() {
    return "kubelet/" + nodeName;
  }

  public PodSandboxes sandboxes() {
    return sandboxes;
  }

  /** Sandbox failures, as {@code ns/name: message} (the pod stays Pending, as with a CNI error). */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void start(ApiStore apiStore, WorkQueue queue) {
    this.store = apiStore;
    apiStore.watch(
        name(),
        Kind.POD,
        null,
        Selector.everything(),
        FieldSelector.parse("spec.nodeName=" + nodeName),
        Optional.empty(),
        e -> queue.add(e.object()));
  }

  @Override
  public void sync(String key) {
    int slash = key.indexOf('/');
    Optional<Pod> found = store.get(Pod.class, key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty() || !nodeName.equals(found.get().getSpec().getNodeName())) {
      stop(key);
      return;
    }
    Pod pod = dev.podpath.kube.io.Json.copy(found.get()); // the store hands out its own instance
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      stop(key);
      store.delete(ObjectKey.of(pod), 0L);
      return;
    }
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      listen(sandboxes.host().root(), pod);
      report(pod, List.of(nodeIp));
      return;
    }
    Optional<IpAddress> dumped =
        Optional.ofNullable(pod.getStatus())
            .map(PodStatus::getPodIP)
            .filter(IpAddress::isValid)
            .map(IpAddress::parse);
    try {
      var sandbox = sandboxes.start(pod, dumped);
      listen(sandboxes.host().namespace(sandbox.netns()), pod);
      if (dumped.isEmpty()) {
        report(pod, sandbox.ips());
      }
    } catch (CniException e) {
      failures.add(key + ": " + e.getMessage());
    }
  }

  /** Binds a listener for each declared container port, as the container's process would. */
  private static void listen(dev.podpath.kernel.NetNamespace ns, Pod pod) {
    for (var c : pod.getSpec().getContainers()) {
      for (var p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
        if (p.getContainerPort() == null) {
          continue;
        }
        var proto =
            dev.podpath.net.Protocol.find(Optional.ofNullable(p.getProtocol()).orElse("TCP"))
                .orElse(dev.podpath.net.Protocol.TCP);
        ns.sockets()
            .bind(
                new dev.podpath.kernel.socket.Listener(
                    proto,
                    dev.podpath.net.Ipv4Address.ANY,
                    p.getContainerPort(),
                    PodSandboxes.key(pod) + "/" + c.getName()));
      }
    }
  }

  private void stop(String key) {
    try {
      sandboxes.stop(key);
    } catch (CniException e) {
      failures.add(key + ": " + e.getMessage());
    }
  }

  /** Writes Running, the IPs and the Ready conditions into the pod's status when they differ. */
  private void report(Pod pod, List<IpAddress> ips) {
    PodStatus status = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
    String ip = ips.get(0).toString();
    if ("Running".equals(status.getPhase())
        && ip.equals(status.getPodIP())
        && nodeIp.toString().equals(status.getHostIP())) {
      return;
    }
    status.setPhase("Running");
    status.setHostIP(nodeIp.toString());
    status.setPodIP(ip);
    status.setPodIPs(ips.stream().map(a -> new PodIP(a.toString())).toList());
    String now = store.timestamp();
    var conditions = new ArrayList<PodCondition>();
    for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
      var c = new PodCondition();
      c.setType(type);
      c.setStatus("True");
      c.setLastTransitionTime(now);
      conditions.add(c);
    }
    status.setConditions(conditions);
    status.setContainerStatuses(
        pod.getSpec().getContainers().stream()
            .map(
                c -> {
                  var cs = new io.fabric8.kubernetes.api.model.ContainerStatus();
                  cs.setName(c.getName());
                  cs.setImage(c.getImage());
                  cs.setReady(true);
                  cs.setStarted(true);
                  cs.setRestartCount(0);
                  var running = new io.fabric8.kubernetes.api.model.ContainerStateRunning(now);
                  cs.setState(
                      new io.fabric8.kubernetes.api.model.ContainerState(running, null, null));
                  return cs;
                })
            .toList());
    if (status.getStartTime() == null) {
      status.setStartTime(now);
    }
    pod.setStatus(status);
    store.update(pod);
  }
}
