package dev.podpath.policy.model;

import java.util.List;

/**
 * One ingress or egress rule. An empty peer list matches every peer (pods and external addresses);
 * an empty port list matches every port of every protocol.
 *
 * @param number the rule's position in its list, from 1
 */
public record Rule(Direction direction, int number, List<Peer> peers, List<PortMatch> ports) {
  public Rule {
    peers = List.copyOf(peers);
    ports = List.copyOf(ports);
    if (number < 1) {
      throw new IllegalArgumentException("rule number: must be >= 1, got " + number);
    }
  }

  public boolean anyPeer() {
    return peers.isEmpty();
  }
}
