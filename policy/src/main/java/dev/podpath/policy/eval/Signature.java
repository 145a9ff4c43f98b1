package dev.podpath.policy.eval;

import dev.podpath.net.PortSet;
import java.util.BitSet;
import java.util.List;

/**
 * Everything the policies can observe of an endpoint: which policies select it, which peers match
 * it, and what each referenced named port resolves to on it. Endpoints with equal signatures are
 * indistinguishable to every policy, so analysis works on one per class.
 *
 * @param kind a pod (selectable, has named ports) or external addresses
 * @param selectedBy ids of the policies that select it ({@link PolicyIndex#policy(int)})
 * @param peers ids of the peers that match it ({@link PolicyIndex#peer(int)})
 * @param namedPorts for each named port id, the port numbers it resolves to
 */
public record Signature(Kind kind, BitSet selectedBy, BitSet peers, List<PortSet> namedPorts) {
  /** What kind of endpoint the signature describes. */
  public enum Kind {
    POD,
    EXTERNAL
  }

  public Signature {
    selectedBy = (BitSet) selectedBy.clone();
    peers = (BitSet) peers.clone();
    namedPorts = List.copyOf(namedPorts);
  }
}
