package dev.podpath.policy.model;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One entry of a rule's {@code from} or {@code to}. */
public sealed interface Peer {

  /**
   * Pods chosen by selectors. An absent {@code namespaces} selector means the policy's own
   * namespace; both selectors in one peer must hold together (AND).
   */
  record Pods(String policyNamespace, Optional<Selector> namespaces, Selector pods)
      implements Peer {

    /** Whether a pod with these labels, in a namespace with these labels, matches. */
    public boolean matches(
        String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels) {
      boolean nsOk =
          namespaces.map(s -> s.matches(namespaceLabels)).orElse(namespace.equals(policyNamespace));
      return nsOk && pods.matches(podLabels);
    }

    @Override
    public String toString() {
      String ns = namespaces.map(s -> "namespaceSelector " + s + " ").orElse("");
      return ns + "podSelector " + pods;
    }
  }

  /** {@code ipBlock}: {@code cidr} minus every {@code except} prefix. */
  record IpBlock(IpPrefix cidr, List<IpPrefix> except, AddressSet addresses) implements Peer {
    public IpBlock {
      except = List.copyOf(except);
    }

    public static IpBlock of(IpPrefix cidr, List<IpPrefix> except) {
      return new IpBlock(cidr, except, AddressSet.of(cidr).difference(AddressSet.ofAll(except)));
    }

    @Override
    public String toString() {
      return "ipBlock " + cidr + (except.isEmpty() ? "" : " except " + except);
    }
  }
}
