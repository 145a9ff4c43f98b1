package dev.podpath.cli.rules;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.World;
import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.Manifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.NodeInfo;
import dev.podpath.proxy.agent.KubeProxy;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.KubeProxyConfigurationReader;
import dev.podpath.proxy.config.ManifestProxyConfig;
import dev.podpath.proxy.config.ProxyMode;
import dev.podpath.proxy.iptables.FakeIptables;
import dev.podpath.proxy.iptables.Iptables;
import dev.podpath.proxy.iptables.KernelIptables;
import dev.podpath.proxy.iptables.RestoreNormalizer;
import dev.podpath.proxy.ipvs.FakeIpvsKernel;
import dev.podpath.proxy.ipvs.IpvsKernel;
import dev.podpath.proxy.ipvs.IpvsadmText;
import dev.podpath.proxy.ipvs.KernelIpvs;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code podpath rules}: runs one node's kube-proxy over the Services and EndpointSlices of the
 * manifests and prints what it programs, as {@code iptables-save} on the node would show it, as the
 * exact {@code iptables-restore} input (in upstream's sorted normal form), or as {@code ipvsadm
 * -Sn}.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Print what kube-proxy programs on one node (iptables or IPVS mode).")
public final class RulesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      arity = "1..*",
      description =
          "Manifest files or directories (YAML or JSON, List kinds accepted; - is standard"
              + " input), read and validated as kubectl apply would.")
  List<String> files = List.of();

  @Option(names = "--node", required = true, description = "The node whose kube-proxy runs.")
  String node = "";

  @Option(
      names = "--config",
      description =
          "A KubeProxyConfiguration file (else one found in "
              + "the manifests, else upstream's defaults).")
  Path config;

  @Option(names = "--table", description = "Only this table: nat or filter.")
  String table;

  @Option(
      names = "--as",
      defaultValue = "save",
      description =
          "save (iptables-save), restore-input (kube-proxy's iptables-restore input), "
              + "ipvsadm (ipvsadm -Sn, IPVS mode). Default: ${DEFAULT-VALUE}.")
  String as = "save";

  @Option(
      names = "--family",
      defaultValue = "ipv4",
      description =
          "ipv4 or ipv6 (kube-proxy runs one proxier per family). Default: " + "${DEFAULT-VALUE}.")
  String family = "ipv4";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out, err);
    } catch (BadInput e) {
      err.println("podpath rules: " + e.getMessage());
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int run(PrintWriter out, PrintWriter err) throws BadInput {
    if (table != null && !table.equals("nat") && !table.equals("filter")) {
      throw new BadInput("--table: must be nat or filter, got " + table);
    }
    if (!List.of("save", "restore-input", "ipvsadm").contains(as)) {
      throw new BadInput("--as: must be save, restore-input or ipvsadm, got " + as);
    }
    IpFamily fam =
        switch (family) {
          case "ipv4" -> IpFamily.IPV4;
          case "ipv6" -> IpFamily.IPV6;
          default -> throw new BadInput("--family: must be ipv4 or ipv6, got " + family);
        };
    ManifestSet set;
    KubeProxyConfiguration cfg;
    try {
      set = ManifestReader.read(files, System.in);
      ControlPlane.validate(set);
      cfg = configuration(set);
    } catch (ManifestException e) {
      throw new BadInput(e.getMessage());
    }
    NodeInfo nodeInfo = nodeInfo(set, err);
    // restore-input and ipvsadm: a node whose kernel has nfacct (as upstream's tests assume);
    // save: the emulated kernel's netfilter (and, in IPVS mode, its IPVS table, ipsets and
    // kube-ipvs0), printed by its iptables-save.
    boolean kernel = as.equals("save");
    var root = kernel ? new World().addHost(node).root() : null;
    Iptables iptables =
        root != null ? new KernelIptables(root.netfilter(), fam) : new FakeIptables(fam, true);
    IpvsKernel ipvsKernel;
    if (root != null && cfg.mode() == ProxyMode.IPVS) {
      addNodeAddresses(root, nodeInfo);
      ipvsKernel = new KernelIpvs(root);
    } else {
      ipvsKernel = FakeIpvsKernel.of(nodeInfo);
    }
    KubeProxy proxy;
    try {
      proxy = KubeProxy.create(cfg, nodeInfo, fam, iptables, ipvsKernel, new VirtualClock());
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    for (Manifest m : set.objects()) {
      feed(proxy, m);
    }
    var sync = proxy.sync();
    if (!sync.succeeded()) {
      err.println("podpath rules: iptables-restore refused kube-proxy's input: " + sync.error());
      return 1;
    }
    switch (as) {
      case "restore-input" ->
          out.print(
              only(
                  cfg.mode() == ProxyMode.IPTABLES
                      ? RestoreNormalizer.normalize(sync.iptablesRestoreInput())
                      : sync.iptablesRestoreInput()));
      case "ipvsadm" -> {
        if (sync.ipvs().isEmpty()) {
          throw new BadInput(
              "--as ipvsadm: this kube-proxy runs in "
                  + cfg.mode()
                  + " mode; set mode: ipvs in its KubeProxyConfiguration");
        }
        out.print(IpvsadmText.save(sync.ipvs().get().services()));
      }
      default -> {
        for (String t : table == null ? List.of("filter", "nat") : List.of(table)) {
          out.print(iptables.save(t));
        }
      }
    }
    return 0;
  }

  /** Keeps only the {@code --table} section of restore text. */
  private String only(String text) {
    if (table == null) {
      return text;
    }
    var sb = new StringBuilder();
    boolean keep = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("*")) {
        keep = line.equals("*" + table);
      }
      if (keep) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  private KubeProxyConfiguration configuration(ManifestSet set) throws BadInput {
    if (config == null) {
      return ManifestProxyConfig.in(set).orElseGet(KubeProxyConfiguration::defaults);
    }
    try {
      return KubeProxyConfigurationReader.parse(Files.readString(config));
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInput("--config " + config + ": " + e.getMessage());
    }
  }

  private NodeInfo nodeInfo(ManifestSet set, PrintWriter err) throws BadInput {
    for (Manifest m : set.objects()) {
      if (m.object() instanceof Node n && node.equals(n.getMetadata().getName())) {
        try {
          return NodeInfo.fromNode(n);
        } catch (IllegalArgumentException e) {
          throw new BadInput(m.source() + ": Node " + node + ": " + e.getMessage());
        }
      }
    }
    err.println(
        "podpath rules: warning: no Node named "
            + node
            + " in the manifests; the node has no addresses besides loopback");
    return new NodeInfo(
        node,
        List.of(),
        List.of(
            new NodeInfo.InterfaceAddress("lo", IpPrefix.parse("127.0.0.1/8")),
            new NodeInfo.InterfaceAddress("lo", IpPrefix.parse("::1/128"))),
        List.of());
  }

  /**
   * Gives the emulated node the addresses of its Node object (on a dummy {@code eth0}), so that
   * IPVS mode, which reads the node's addresses from the kernel, finds them.
   */
  private static void addNodeAddresses(NetNamespace root, NodeInfo info) {
    for (var a : info.addresses()) {
      if (a.device().equals("lo")) {
        continue;
      }
      if (root.findLink(a.device()).isEmpty()) {
        root.addDummy(a.device());
        root.setUp(a.device(), true);
      }
      root.routing()
          .addAddress(a.device(), a.prefix(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  private static void feed(KubeProxy proxy, Manifest m) throws BadInput {
    try {
      if (m.object() instanceof Service svc) {
        proxy.onService(svc);
      } else if (m.object() instanceof EndpointSlice slice) {
        proxy.onEndpointSlice(slice);
      }
    } catch (IllegalArgumentException e) {
      throw new BadInput(m.source() + ": " + m.describe() + ": " + e.getMessage());
    }
  }

  /** A user's bad input: printed with exit code 2. */
  private static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
      super(message);
    }
  }
}
