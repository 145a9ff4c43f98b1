package dev.podpath.cli.dns;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.zone.ZoneExport;
import dev.podpath.net.IpAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code podpath dns zone}: the cluster zone as a standard zone file. */
@Command(
    name = "zone",
    mixinStandardHelpOptions = true,
    description =
        "Print the cluster zone (what the server answers for the names it holds) as a zone file.")
final class ZoneCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DnsInputs inputs;

  @Option(
      names = "--reverse",
      description = "Also print the PTR records of ClusterIPs and endpoint addresses.")
  boolean reverse;

  @Option(
      names = "--ns-address",
      defaultValue = "127.0.0.1",
      description = "Address of ns.dns.<zone> (the server's own). Default: ${DEFAULT-VALUE}.")
  String nsAddress = "127.0.0.1";

  @Override
  public Integer call() throws Exception {
    return DnsCommand.guarded(
        spec,
        () -> {
          DnsInputs.Loaded loaded = inputs.load();
          DnsOptions options = inputs.options(loaded.domain(), List.of(IpAddress.parse(nsAddress)));
          var dns = inputs.dns(loaded.feed(), options, () -> 1);
          spec.commandLine().getOut().print(ZoneExport.write(dns.records(), options, reverse));
          return 0;
        });
  }
}
