package dev.podpath.policy.eval;

import dev.podpath.policy.model.ConnectionSet;
import dev.podpath.policy.model.Direction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The NetworkPolicy decision, networking.k8s.io/v1: a flow is allowed when the source's egress and
 * the destination's ingress both allow it. In each direction, an endpoint selected by no policy of
 * that type is not isolated and allows everything; an isolated one allows the union of the rules of
 * every selecting policy whose peers match the other side (a rule without peers matches everyone),
 * on the rule's ports resolved on the destination.
 */
public final class Judge {
  private final PolicyIndex index;

  public Judge(PolicyIndex index) {
    this.index = index;
  }

  public PolicyIndex index() {
    return index;
  }

  /** What the policies allow from {@code src} to {@code dst}. */
  public ConnectionSet allowed(Signature src, Signature dst) {
    ConnectionSet out = direction(Direction.EGRESS, src, dst, dst, null);
    if (out.isEmpty()) {
      return out;
    }
    return out.intersection(direction(Direction.INGRESS, dst, src, dst, null));
  }

  public ConnectionSet allowed(Endpoint src, Endpoint dst) {
    return allowed(index.signature(src), index.signature(dst));
  }

  /** The peers that could admit a flow: every peer, or those with the given ids. */
  public record Admitting(boolean anyPeer, BitSet peers) {}

  /**
   * Which peers could admit anything in one direction of a subject: empty when the subject is not
   * isolated in that direction (everything is admitted); otherwise the ids of the peers of the
   * selecting policies' rules, or every peer when some rule has none. A flow whose other end
   * matches none of them is denied, whatever the ports: analyses use this to skip pairs.
   */
  public java.util.Optional<Admitting> admitting(Direction dir, Signature subject) {
    if (subject.kind() == Signature.Kind.EXTERNAL) {
      return java.util.Optional.empty();
    }
    boolean isolated = false;
    boolean any = false;
    var out = new BitSet();
    var bits = subject.selectedBy();
    for (int id = bits.nextSetBit(0); id >= 0; id = bits.nextSetBit(id + 1)) {
      if (!index.policy(id).isolates(dir)) {
        continue;
      }
      isolated = true;
      for (var r : index.rules(dir, id)) {
        any |= r.peerIds().length == 0;
        for (int p : r.peerIds()) {
          out.set(p);
        }
      }
    }
    return isolated ? java.util.Optional.of(new Admitting(any, out)) : java.util.Optional.empty();
  }

  /** The decision with its reasons, for {@code explain}. */
  public Explanation explain(Endpoint src, Endpoint dst) {
    var s = index.signature(src);
    var d = index.signature(dst);
    var egress = verdict(Direction.EGRESS, s, d, d);
    var ingress = verdict(Direction.INGRESS, d, s, d);
    return new Explanation(
        src, dst, egress, ingress, egress.allowed().intersection(ingress.allowed()));
  }

  private Verdict verdict(Direction dir, Signature subject, Signature other, Signature dst) {
    var hits = new ArrayList<Verdict.RuleHit>();
    var selecting = new ArrayList<String>();
    ConnectionSet allowed = direction(dir, subject, other, dst, hits);
    forEachSelecting(dir, subject, id -> selecting.add(index.policy(id).key()));
    return new Verdict(dir, selecting, hits, allowed);
  }

  private void forEachSelecting(
      Direction dir, Signature subject, java.util.function.IntConsumer f) {
    var bits = subject.selectedBy();
    for (int id = bits.nextSetBit(0); id >= 0; id = bits.nextSetBit(id + 1)) {
      if (index.policy(id).isolates(dir)) {
        f.accept(id);
      }
    }
  }

  private ConnectionSet direction(
      Direction dir,
      Signature subject,
      Signature other,
      Signature dst,
      @Nullable List<Verdict.RuleHit> hits) {
    if (subject.kind() == Signature.Kind.EXTERNAL) {
      return ConnectionSet.ALL;
    }
    boolean isolated = false;
    ConnectionSet out = ConnectionSet.NONE;
    var bits = subject.selectedBy();
    for (int id = bits.nextSetBit(0); id >= 0; id = bits.nextSetBit(id + 1)) {
      if (!index.policy(id).isolates(dir)) {
        continue;
      }
      isolated = true;
      for (var r : index.rules(dir, id)) {
        if (!matchesPeer(r, other)) {
          continue;
        }
        ConnectionSet ports = index.ports(r, dst);
        if (hits != null && !ports.isEmpty()) {
          hits.add(new Verdict.RuleHit(r.policy().key(), r.rule(), ports));
        }
        out = out.union(ports);
        if (out.isAll() && hits == null) {
          return out;
        }
      }
    }
    return isolated ? out : ConnectionSet.ALL;
  }

  private static boolean matchesPeer(PolicyIndex.IndexedRule r, Signature other) {
    if (r.peerIds().length == 0) {
      return true;
    }
    for (int id : r.peerIds()) {
      if (other.peers().get(id)) {
        return true;
      }
    }
    return false;
  }
}
