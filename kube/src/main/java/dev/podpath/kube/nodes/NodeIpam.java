package dev.podpath.kube.nodes;

import dev.podpath.kube.loop.QueueController;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Node IPAM ({@code kube-controller-manager --allocate-node-cidrs}, range allocator): each node
 * without a {@code spec.podCIDR} gets the next free subnet of mask {@code nodeCidrMaskSize} from
 * each cluster CIDR, scanning on from the last one handed out as the cidrset does; a node's subnets
 * return to the pool when it is deleted.
 */
public final class NodeIpam extends QueueController {

  private final List<IpPrefix> clusterCidrs;
  private final int maskSize;
  private final Set<IpPrefix> used = new TreeSet<>();
  private long hint;

  public NodeIpam(List<IpPrefix> clusterCidrs, int maskSize) {
    this.clusterCidrs = List.copyOf(clusterCidrs);
    this.maskSize = maskSize;
  }

  @Override
  public String name() {
    return "node-ipam-controller";
  }

  @Override
  protected void watches() {
    on(
        Kind.NODE,
        e -> {
          Node n = (Node) e.object();
          List<String> cidrs =
              n.getSpec() == null || n.getSpec().getPodCIDRs() == null
                  ? List.of()
                  : n.getSpec().getPodCIDRs();
          if (e.type() == WatchEvent.Type.DELETED) {
            cidrs.forEach(c -> used.remove(IpPrefix.parse(c)));
          } else {
            cidrs.forEach(c -> used.add(IpPrefix.parse(c)));
            if (cidrs.isEmpty()) {
              queue().add(n);
            }
          }
        });
  }

  @Override
  public void sync(String name) {
    Optional<Node> node = store().get(Node.class, "", name);
    if (node.isEmpty()
        || (node.get().getSpec() != null
            && node.get().getSpec().getPodCIDR() != null
            && !node.get().getSpec().getPodCIDR().isEmpty())) {
      return;
    }
    Optional<List<IpPrefix>> cidrs = allocate(clusterCidrs, maskSize, used, hint);
    if (cidrs.isEmpty()) {
      return; // CIDRNotAvailable: the node stays without a podCIDR
    }
    used.addAll(cidrs.get());
    hint++;
    List<String> text = cidrs.get().stream().map(IpPrefix::toString).toList();
    store()
        .update(
            new NodeBuilder(node.get())
                .editOrNewSpec()
                .withPodCIDR(text.getFirst())
                .withPodCIDRs(text)
                .endSpec()
                .build());
  }

  /** The lowest free subnet of each cluster CIDR, or empty when one of them is full. */
  public static Optional<List<IpPrefix>> allocate(
      List<IpPrefix> clusterCidrs, int maskSize, Set<IpPrefix> used) {
    return allocate(clusterCidrs, maskSize, used, 0);
  }

  /** As {@link #allocate}, trying subnet {@code hint} first (the allocator's next position). */
  static Optional<List<IpPrefix>> allocate(
      List<IpPrefix> clusterCidrs, int maskSize, Set<IpPrefix> used, long hint) {
    List<IpPrefix> out = new ArrayList<>();
    for (IpPrefix cidr : clusterCidrs) {
      int mask = cidr.family().bits() == 32 ? maskSize : Math.max(maskSize, 64);
      Optional<IpPrefix> free = Optional.empty();
      long count = 1L << Math.min(mask - cidr.length(), 30);
      BigInteger step = BigInteger.ONE.shiftLeft(cidr.family().bits() - mask);
      BigInteger base = cidr.masked().network().toBigInteger();
      for (long k = 0; k < count && free.isEmpty(); k++) {
        long i = (hint + k) % count;
        IpPrefix candidate =
            IpPrefix.of(
                IpAddress.fromBigInteger(
                    cidr.family(), base.add(step.multiply(BigInteger.valueOf(i)))),
                mask);
        if (!used.contains(candidate)) {
          free = Optional.of(candidate);
        }
      }
      if (free.isEmpty()) {
        return Optional.empty();
      }
      out.add(free.get());
    }
    return Optional.of(out);
  }
}
