package dev.podpath.cli.dns;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.dns.resolv.KubeletDns;
import dev.podpath.dns.resolv.SearchWalk;
import dev.podpath.dns.server.ClusterDns;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podpath dns query}: the answer as dig prints it; with --from, the pod's search-list walk.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description =
        "Answer NAME [TYPE] as the cluster DNS would; --from shows every query a pod's resolver sends.")
final class QueryCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DnsInputs inputs;

  @Option(
      names = "--from",
      paramLabel = "pod/NS/NAME",
      description = "Resolve as this pod's resolver does (search list, ndots).")
  Optional<String> from = Optional.empty();

  @Mixin KubeletDnsInputs kubeletInputs;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "TYPE", defaultValue = "A")
  String type = "A";

  @Override
  public Integer call() throws Exception {
    return DnsCommand.guarded(
        spec,
        () -> {
          int qtype = Type.value(type.toUpperCase(java.util.Locale.ROOT));
          if (qtype < 0) {
            throw new IllegalArgumentException("unknown record type: " + type);
          }
          DnsInputs.Loaded loaded = inputs.load();
          DnsOptions options = inputs.options(loaded.domain(), List.of());
          ClusterDns dns = inputs.dns(loaded.feed(), options, () -> 1);
          PrintWriter out = spec.commandLine().getOut();
          if (from.isEmpty()) {
            Message q =
                Message.newQuery(Record.newRecord(RecordFactory.name(name), qtype, DClass.IN));
            q.getHeader().setID(0);
            out.print(DigFormat.render(dns.handle(q)));
            return 0;
          }
          var pod = ResolvConfCommand.findPod(loaded.objects(), from.get());
          String dnsIp = kubeletInputs.dnsIp(loaded);
          KubeletDns kubelet = kubeletInputs.kubelet(loaded);
          var conf = kubelet.forPod(pod).resolvConf();
          out.printf(
              ";; resolver of %s: nameserver %s; search %s; ndots %d%n",
              from.get(),
              String.join(" ", conf.nameservers()),
              String.join(" ", conf.searches()),
              conf.ndots());
          if (conf.nameservers().isEmpty() || !conf.nameservers().get(0).equals(dnsIp)) {
            out.println(
                ";; this pod does not ask the cluster DNS (dnsPolicy "
                    + pod.getSpec().getDnsPolicy()
                    + "); its queries go to "
                    + conf.nameservers());
            return 0;
          }
          SearchWalk.Result walk = SearchWalk.walk(name, qtype, conf, dns::handle);
          int i = 1;
          for (SearchWalk.Step s : walk.steps()) {
            out.printf(
                ";; %d. %s %s -> %s%s%n",
                i++,
                s.name(),
                Type.string(qtype),
                s.rcode(),
                s.answers() == 0
                    ? ""
                    : s.answers() == 1 ? " (1 answer)" : " (" + s.answers() + " answers)");
          }
          out.printf(";; %d queries%n%n", walk.steps().size());
          walk.answer()
              .ifPresentOrElse(
                  m -> out.print(DigFormat.render(m)),
                  () -> out.println(";; no answer: the lookup fails"));
          return 0;
        });
  }
}
