package dev.podpath.net.trace;

import java.util.List;

/**
 * The steps a packet took inside one network namespace of one host.
 *
 * @param host the host's name
 * @param namespace the namespace's name; the host's root namespace carries the host's name
 */
public record Hop(String host, String namespace, List<Step> steps) {
  public Hop {
    steps = List.copyOf(steps);
  }

  /** {@code host} for a root namespace, {@code host/ns} otherwise. */
  public String where() {
    return host.equals(namespace) ? host : host + "/" + namespace;
  }
}
