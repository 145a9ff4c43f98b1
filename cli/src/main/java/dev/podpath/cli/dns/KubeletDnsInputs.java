package dev.podpath.cli.dns;

import dev.podpath.dns.resolv.KubeletDns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The kubelet's DNS settings the pod-side {@code podpath dns} commands share ({@code
 * --cluster-dns}, {@code --node-resolv-conf}), and the kubelet they make.
 */
public final class KubeletDnsInputs {

  @Option(
      names = "--cluster-dns",
      defaultValue = "10.96.0.10",
      description =
          "kubelet --cluster-dns when the manifests have no kube-system/kube-dns Service. Default: ${DEFAULT-VALUE}.")
  String clusterDns = "10.96.0.10";

  @Option(
      names = "--node-resolv-conf",
      paramLabel = "FILE",
      description = "The node's resolv.conf (kubelet --resolv-conf).")
  Optional<Path> nodeResolvConf = Optional.empty();

  /** The cluster DNS address: the kube-dns Service's ClusterIP, else {@code --cluster-dns}. */
  String dnsIp(DnsInputs.Loaded loaded) {
    return DnsInputs.kubeDnsIp(loaded.objects()).orElse(clusterDns);
  }

  /** The kubelet's DNS configuration for the loaded manifests. */
  KubeletDns kubelet(DnsInputs.Loaded loaded) {
    return KubeletDns.of(dnsIp(loaded), loaded.domain(), read(nodeResolvConf));
  }

  private static String read(Optional<Path> file) {
    try {
      return file.isPresent() ? Files.readString(file.get()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.get(), e);
    }
  }
}
