package dev.podpath.dns.resolv;

import java.util.List;
import java.util.Optional;

/**
 * The resolver configuration a container gets (the CRI's DNSConfig): nameservers, search domains
 * and options, written as {@code /etc/resolv.conf} the way containerd writes it (search, then one
 * nameserver line each, then options).
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

  public static final ResolvConf EMPTY = new ResolvConf(List.of(), List.of(), List.of());

  public ResolvConf {
    nameservers = List.copyOf(nameservers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }

  /** The file's text. */
  public String render() {
    StringBuilder b = new StringBuilder();
    if (!searches.isEmpty()) {
      b.append("search ").append(String.join(" ", searches)).append('\n');
    }
    nameservers.forEach(n -> b.append("nameserver ").append(n).append('\n'));
    if (!options.isEmpty()) {
      b.append("options ").append(String.join(" ", options)).append('\n');
    }
    return b.toString();
  }

  /** The {@code ndots} option (glibc's default 1 when absent; clamped to 15 as glibc does). */
  public int ndots() {
    return option("ndots").map(v -> Math.min(15, Integer.parseInt(v))).orElse(1);
  }

  /** The value of an option {@code name:value}, if present (the last one wins). */
  public Optional<String> option(String name) {
    Optional<String> found = Optional.empty();
    for (String o : options) {
      if (o.startsWith(name + ":")) {
        found = Optional.of(o.substring(name.length() + 1));
      }
    }
    return found;
  }
}
