package dev.podpath.dns.records;

import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * How the kubernetes plugin resolves names outside its zones (CoreDNS's {@code upstream}): an
 * ExternalName's CNAME target is asked through the rest of the server (forward and cache).
 */
@FunctionalInterface
public interface ExternalLookup {

  /** The response for {@code name}/{@code type}, or empty when the look-up failed. */
  Optional<Message> lookup(Name name, int type);

  /** A look-up that always fails (no upstream). */
  ExternalLookup NONE = (name, type) -> Optional.empty();
}
