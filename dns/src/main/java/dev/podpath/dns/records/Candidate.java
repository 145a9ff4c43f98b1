package dev.podpath.dns.records;

import dev.podpath.net.IpAddress;

/**
 * One item a look-up finds (CoreDNS's msg.Service): what it points at, a port, a TTL, and the
 * domain it is known as (the SRV target, the NS name).
 */
public record Candidate(Host host, int port, long ttl, String domain) {

  /** What a candidate points at. */
  public sealed interface Host {}

  /** An address: an A or AAAA record. */
  public record Address(IpAddress ip) implements Host {}

  /** A name: a CNAME target (ExternalName) or a PTR target. */
  public record Target(String name) implements Host {}

  /** Text: the {@code dns-version} TXT record. */
  public record Text(String text) implements Host {}
}
