package dev.podpath.cli.dns;

import dev.podpath.dns.resolv.KubeletDns;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code podpath dns resolvconf}: the /etc/resolv.conf the kubelet would write for a pod. */
@Command(
    name = "resolvconf",
    mixinStandardHelpOptions = true,
    description =
        "Print the resolv.conf the kubelet writes for pod/NS/NAME (dnsPolicy, dnsConfig, limits).")
final class ResolvConfCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DnsInputs inputs;

  @Mixin KubeletDnsInputs kubelet;

  @Parameters(index = "0", paramLabel = "pod/NS/NAME")
  String podRef;

  @Override
  public Integer call() throws Exception {
    return DnsCommand.guarded(
        spec,
        () -> {
          DnsInputs.Loaded loaded = inputs.load();
          Pod pod = findPod(loaded.objects(), podRef);
          KubeletDns.PodDns result = kubelet.kubelet(loaded).forPod(pod);
          result.events().forEach(e -> spec.commandLine().getErr().println("event: " + e));
          spec.commandLine().getOut().print(result.resolvConf().render());
          return 0;
        });
  }

  /** The Pod named {@code pod/NS/NAME} (or {@code NS/NAME}). */
  static Pod findPod(List<HasMetadata> objects, String ref) {
    String[] parts = ref.split("/");
    if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[0].equals("pod"))) {
      throw new IllegalArgumentException("expected pod/NAMESPACE/NAME, got " + ref);
    }
    String ns = parts[parts.length - 2];
    String name = parts[parts.length - 1];
    for (HasMetadata o : objects) {
      String ons =
          o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
      if (o instanceof Pod p && ons.equals(ns) && name.equals(p.getMetadata().getName())) {
        if (p.getMetadata().getNamespace() == null) {
          p.getMetadata().setNamespace(ns);
        }
        return p;
      }
    }
    throw new IllegalArgumentException("no pod " + ns + "/" + name + " in the manifests");
  }
}
