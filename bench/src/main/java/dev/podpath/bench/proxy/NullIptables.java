package dev.podpath.bench.proxy;

import dev.podpath.net.IpFamily;
import dev.podpath.proxy.iptables.Iptables;
import java.util.List;
import java.util.Set;

/** An {@link Iptables} that accepts everything and keeps nothing: measures generation alone. */
final class NullIptables implements Iptables {

  @Override
  public IpFamily family() {
    return IpFamily.IPV4;
  }

  @Override
  public boolean hasRandomFully() {
    return true;
  }

  @Override
  public boolean ensureChain(String table, String chain) {
    return true;
  }

  @Override
  public boolean ensureRule(Position position, String table, String chain, List<String> args) {
    return true;
  }

  @Override
  public Set<String> chains(String table) {
    return Set.of();
  }

  @Override
  public String save(String table) {
    return "";
  }

  @Override
  public void restore(String text) {}
}
