package dev.podpath.policy.eval;

import dev.podpath.net.AddressSet;
import dev.podpath.policy.model.PodInfo;

/** One end of a flow: a pod, or a set of external addresses that policies cannot tell apart. */
public sealed interface Endpoint {

  /** The name people read: {@code ns/pod}, or the address range. */
  String label();

  record Pod(PodInfo pod) implements Endpoint {
    @Override
    public String label() {
      return pod.key();
    }
  }

  record External(AddressSet addresses) implements Endpoint {
    @Override
    public String label() {
      return addresses.toString();
    }
  }
}
