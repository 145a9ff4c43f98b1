package dev.podpath.proxy.iptables;

import dev.podpath.kernel.netfilter.Netfilter;
import dev.podpath.kernel.netfilter.rule.Chain;
import dev.podpath.kernel.netfilter.rule.TableName;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Iptables} over an emulated namespace's netfilter, through the same programs a real
 * kube-proxy runs: {@code iptables -N/-C/-I/-A}, {@code iptables-save -t} and {@code
 * iptables-restore --noflush --counters} (the {@code shell} module's codec). The emulated kernel
 * has no nfacct objects, so kube-proxy over it finds no counters, as on a kernel without {@code
 * nfnetlink_acct}.
 */
public final class KernelIptables implements Iptables {

  private final Netfilter netfilter;
  private final IpFamily family;

  public KernelIptables(Netfilter netfilter, IpFamily family) {
    this.netfilter = netfilter;
    this.family = family;
  }

  @Override
  public IpFamily family() {
    return family;
  }

  @Override
  public boolean hasRandomFully() {
    return true;
  }

  @Override
  public boolean supportsNfacct() {
    return false;
  }

  @Override
  public boolean ensureChain(String table, String chain) {
    ToolResult r = run(List.of("-t", table, "-N", chain));
    return !r.succeeded();
  }

  @Override
  public boolean ensureRule(Position position, String table, String chain, List<String> args) {
    List<String> check = new ArrayList<>(List.of("-t", table, "-C", chain));
    check.addAll(args);
    if (run(check).succeeded()) {
      return true;
    }
    List<String> add =
        new ArrayList<>(List.of("-t", table, position == Position.PREPEND ? "-I" : "-A", chain));
    add.addAll(args);
    ToolResult r = run(add);
    if (!r.succeeded()) {
      throw new IllegalStateException("iptables " + String.join(" ", add) + ": " + r.stderr());
    }
    return false;
  }

  @Override
  public Set<String> chains(String table) {
    Set<String> out = new TreeSet<>();
    TableName.find(table)
        .ifPresent(
            t -> {
              for (Chain c : netfilter.table(family, t).chains()) {
                out.add(c.name());
              }
            });
    return out;
  }

  @Override
  public String save(String table) {
    return dev.podpath.shell.iptables.IptablesSave.run(netfilter, family, List.of("-t", table))
        .stdout();
  }

  @Override
  public void restore(String text) throws RestoreException {
    ToolResult r =
        dev.podpath.shell.iptables.IptablesRestore.run(
            netfilter, family, List.of("--noflush", "--counters"), text);
    if (!r.succeeded()) {
      int line = 0;
      var m = java.util.regex.Pattern.compile("line:? (\\d+)").matcher(r.stderr());
      if (m.find()) {
        line = Integer.parseInt(m.group(1));
      }
      throw new RestoreException(line, r.stderr().strip());
    }
  }

  private ToolResult run(List<String> args) {
    return dev.podpath.shell.iptables.Iptables.iptables(netfilter, family, args);
  }
}
