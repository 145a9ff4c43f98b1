package dev.podpath.cli.dns;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.dns.server.DnsServer;
import dev.podpath.net.IpAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code podpath dns serve}: a real DNS server (UDP and TCP) answering from the manifests. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve cluster DNS over UDP and TCP, as CoreDNS would answer for these objects.")
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DnsInputs inputs;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:5353",
      paramLabel = "IP:PORT",
      description = "Address to bind (loopback unless told otherwise). Default: ${DEFAULT-VALUE}.")
  String listen = "127.0.0.1:5353";

  @Option(
      names = "--udp-threads",
      defaultValue = "0",
      description = "UDP reader threads (0: one per core, at least 2).")
  int udpThreads;

  @Option(
      names = "--answer-memo",
      defaultValue = "100000",
      description =
          "Answers remembered until the cluster changes (0: compute every answer). Default: ${DEFAULT-VALUE}.")
  int memoEntries = 100_000;

  @Override
  public Integer call() throws Exception {
    return DnsCommand.guarded(
        spec,
        () -> {
          InetSocketAddress address = DnsInputs.address(listen, 5353);
          DnsInputs.Loaded loaded = inputs.load();
          var cluster = loaded.feed();
          DnsOptions options =
              inputs.options(
                  loaded.domain(), List.of(IpAddress.parse(address.getAddress().getHostAddress())));
          ClusterDns dns = inputs.dns(cluster, options, () -> System.currentTimeMillis() / 1000);
          DnsServer.Limits d = DnsServer.Limits.DEFAULT;
          DnsServer.Limits limits =
              new DnsServer.Limits(
                  udpThreads > 0 ? udpThreads : d.udpThreads(),
                  d.maxTcpConnections(),
                  d.tcpIdleMillis(),
                  memoEntries);
          try (DnsServer server = DnsServer.start(dns, address, limits)) {
            var out = spec.commandLine().getOut();
            out.printf(
                "podpath dns: serving %s (%d services) on udp+tcp %s:%d%n",
                options.primaryZone(),
                cluster.current().services().size(),
                server.address().getAddress().getHostAddress(),
                server.address().getPort());
            out.flush();
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
          }
          return 0;
        });
  }
}
