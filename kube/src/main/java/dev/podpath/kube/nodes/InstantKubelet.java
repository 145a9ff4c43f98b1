package dev.podpath.kube.nodes;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * THE KUBELET SEAM. A stand-in for the kubelet and CNI until the node module provides them: a pod
 * bound to a node that has no status yet becomes Running with every container started and
 * Ready=True at once, with an IP from the node's podCIDR (the first free address from .2, as
 * host-local IPAM hands them out; the node's InternalIP for hostNetwork pods). Pods that arrive
 * with a status (a live dump) are left as they are. Replace this controller with the real kubelet
 * by not adding it ({@code ControlPlane.Options#instantKubelet}).
 */
public final class InstantKubelet extends QueueController {

  private final Map<String, TreeSet<BigInteger>> usedByNode = new HashMap<>();

  @Override
  public String name() {
    return "instant-kubelet";
  }

  @Override
  protected void watches() {
    on(
        Kind.POD,
        e -> {
          Pod p = (Pod) e.object();
          if (e.type() == WatchEvent.Type.DELETED) {
            release(p);
          } else if (needsStart(p)) {
            queue().add(p);
          } else {
            remember(p);
          }
        });
    on(
        Kind.NODE,
        e -> {
          if (e.type() == WatchEvent.Type.DELETED) {
            return;
          }
          for (Pod p :
              store()
                  .list(
                      Pod.class,
                      null,
                      Selector.everything(),
                      FieldSelector.parse("spec.nodeName=" + e.object().getMetadata().getName()))) {
            if (needsStart(p)) {
              queue().add(p);
            }
          }
        });
  }

  private static boolean needsStart(Pod p) {
    return p.getSpec().getNodeName() != null
        && !p.getSpec().getNodeName().isEmpty()
        && (p.getStatus() == null || p.getStatus().getPodIP() == null)
        && p.getMetadata().getDeletionTimestamp() == null;
  }

  @Override
  public void sync(String key) {
    NamespacedName nn = NamespacedName.of(key);
    Optional<Pod> found = store().get(Pod.class, nn.namespace(), nn.name());
    if (found.isEmpty() || !needsStart(found.get())) {
      return;
    }
    Pod pod = found.get();
    Optional<Node> node = store().get(Node.class, "", pod.getSpec().getNodeName());
    if (node.isEmpty()) {
      return;
    }
    String hostIp = internalIp(node.get());
    String podIp;
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      podIp = hostIp;
    } else {
      Optional<String> ip = nextIp(node.get());
      if (ip.isEmpty()) {
        return; // no podCIDR yet (IPAM will update the node and the pod is retried) or full
      }
      podIp = ip.get();
    }
    String now = store().timestamp();
    List<PodCondition> conditions = new ArrayList<>();
    for (String type :
        List.of(
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled")) {
      conditions.add(
          new PodConditionBuilder()
              .withType(type)
              .withStatus("True")
              .withLastTransitionTime(now)
              .build());
    }
    Pod started =
        new PodBuilder(pod)
            .withNewStatus()
            .withPhase("Running")
            .withHostIP(hostIp)
            .addNewHostIP()
            .withIp(hostIp)
            .endHostIP()
            .withPodIP(podIp)
            .addNewPodIP()
            .withIp(podIp)
            .endPodIP()
            .withStartTime(now)
            .withConditions(conditions)
            .withQosClass("BestEffort")
            .withContainerStatuses(
                pod.getSpec().getContainers().stream()
                    .map(
                        c ->
                            new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withReady(true)
                                .withStarted(true)
                                .withRestartCount(0)
                                .withNewState()
                                .withNewRunning()
                                .withStartedAt(now)
                                .endRunning()
                                .endState()
                                .build())
                    .toList())
            .endStatus()
            .build();
    store().update(started);
  }

  private Optional<String> nextIp(Node node) {
    if (node.getSpec() == null || node.getSpec().getPodCIDR() == null) {
      return Optional.empty();
    }
    IpPrefix cidr = IpPrefix.parse(node.getSpec().getPodCIDR());
    TreeSet<BigInteger> used =
        usedByNode.computeIfAbsent(node.getMetadata().getName(), k -> new TreeSet<>());
    BigInteger base = cidr.masked().network().toBigInteger();
    BigInteger last = cidr.last().toBigInteger();
    for (BigInteger v = base.add(BigInteger.TWO);
        v.compareTo(last) < 0;
        v = v.add(BigInteger.ONE)) {
      if (!used.contains(v)) {
        used.add(v);
        return Optional.of(IpAddress.fromBigInteger(cidr.family(), v).toString());
      }
    }
    return Optional.empty();
  }

  private void remember(Pod p) {
    if (p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && p.getSpec().getNodeName() != null
        && !Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
      try {
        usedByNode
            .computeIfAbsent(p.getSpec().getNodeName(), k -> new TreeSet<>())
            .add(IpAddress.parse(p.getStatus().getPodIP()).toBigInteger());
      } catch (RuntimeException e) {
        // an unparsable IP from a dump holds no address
      }
    }
  }

  private void release(Pod p) {
    if (p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && p.getSpec().getNodeName() != null
        && !Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
      TreeSet<BigInteger> used = usedByNode.get(p.getSpec().getNodeName());
      if (used != null) {
        try {
          used.remove(IpAddress.parse(p.getStatus().getPodIP()).toBigInteger());
        } catch (RuntimeException e) {
          // nothing was held
        }
      }
    }
  }

  static String internalIp(Node node) {
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          return a.getAddress();
        }
      }
    }
    return "";
  }
}
