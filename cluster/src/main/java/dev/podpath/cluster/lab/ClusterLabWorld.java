package dev.podpath.cluster.lab;

import dev.podpath.cluster.Cluster;
import dev.podpath.cluster.KubeProxyAgent;
import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.cluster.StoreFeed;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.resolv.KubeletDns;
import dev.podpath.dns.resolv.SearchWalk;
import dev.podpath.dns.server.ClusterDns;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.CniMode;
import dev.podpath.kube.shape.ProxyMode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.node.kubelet.PodSandboxes;
import dev.podpath.proxy.config.KubeProxyConfiguration;
import dev.podpath.proxy.config.KubeProxyConfigurationReader;
import dev.podpath.proxy.config.ManifestProxyConfig;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.lab.Attempt;
import dev.podpath.shell.lab.KernelLabWorld;
import dev.podpath.shell.lab.LabWorld;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A lab world with Kubernetes: the kernel world of plain labs, plus {@code cluster} (nodes become
 * hosts on the lab's LAN), {@code kubectl}, {@code advance}, pods as places ({@code pod/NS/NAME} is
 * the pod's sandbox namespace on its node) and probe targets written as {@code pod/NS/NAME}, {@code
 * svc/NS/NAME:PORT} (the ClusterIP, PORT a number or a port name) or DNS names, resolved the way
 * the probing pod's resolver would (its resolv.conf search list against cluster DNS).
 */
public final class ClusterLabWorld implements LabWorld {

  private final KernelLabWorld kernel;
  private final Path directory;
  private @Nullable Cluster cluster;
  private @Nullable Kubectl kubectl;
  private @Nullable ClusterDns dns;

  public ClusterLabWorld(Path directory) {
    this.kernel = new KernelLabWorld();
    this.directory = directory;
  }

  public Optional<Cluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  // ---- the Kubernetes tools ----------------------------------------------------------------

  @Override
  public boolean knowsTool(String name) {
    return name.equals("cluster")
        || name.equals("kubectl")
        || name.equals("advance")
        || kernel.knowsTool(name);
  }

  @Override
  public ToolResult run(Place place, List<String> argv, Optional<String> stdin) {
    return switch (argv.get(0)) {
      case "cluster" -> startCluster(argv.subList(1, argv.size()));
      case "kubectl" -> kubectl(argv.subList(1, argv.size()), stdin);
      case "advance" -> advance(argv.subList(1, argv.size()));
      default -> kernel.run(place, argv, stdin);
    };
  }

  private ToolResult startCluster(List<String> args) {
    if (cluster != null) {
      return ToolResult.error(1, "cluster: a cluster is running already (one per lab)");
    }
    ManifestSet manifests = ManifestSet.empty();
    Optional<ProxyMode> proxyMode = Optional.empty();
    Optional<CniMode> cniMode = Optional.empty();
    Optional<KubeProxyConfiguration> proxyConfig = Optional.empty();
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "proxy-mode" ->
              proxyMode =
                  Optional.of(ProxyMode.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT)));
          case "cni" ->
              cniMode = Optional.of(CniMode.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT)));
          case "kube-proxy-config" ->
              proxyConfig =
                  Optional.of(
                      KubeProxyConfigurationReader.parse(
                          Files.readString(directory.resolve(value(args, ++i, a)))));
          default -> manifests = manifests.plus(ManifestReader.read(directory.resolve(a)));
        }
      }
    } catch (IOException | RuntimeException e) {
      return ToolResult.error(1, "cluster: " + e.getMessage());
    }
    if (proxyConfig.isEmpty()) {
      try {
        proxyConfig = ManifestProxyConfig.in(manifests);
      } catch (RuntimeException e) {
        return ToolResult.error(1, "cluster: " + e.getMessage());
      }
    }
    ClusterShape base = manifests.cluster().map(c -> c.shape()).orElseGet(ClusterShape::defaults);
    if (proxyConfig.isPresent()) {
      // kube-proxy's configuration file decides its mode; a proxy-mode word must agree with it
      var fromFile = ProxyMode.valueOf(proxyConfig.get().mode().name());
      if (proxyMode.isPresent() && proxyMode.get() != fromFile) {
        return ToolResult.error(
            1,
            "cluster: proxy-mode "
                + proxyMode.get()
                + " disagrees with the kube-proxy-config's mode: "
                + fromFile);
      }
      proxyMode = Optional.of(fromFile);
    }
    ClusterShape shape =
        new ClusterShape(
            base.name(),
            base.nodes(),
            base.clusterCidrs(),
            base.nodeCidrMaskSize(),
            base.serviceCidrs(),
            base.clusterDomain(),
            proxyMode.orElse(base.proxyMode()),
            cniMode.orElse(base.cniMode()));
    for (var n : shape.nodes()) {
      if (kernel.hasHost(n.name())) {
        return ToolResult.error(
            1, "cluster: node " + n.name() + " clashes with the lab's host of that name");
      }
    }
    try {
      KubeProxyConfiguration config =
          proxyConfig.orElseGet(() -> KubeProxyAgent.configuration(shape));
      cluster =
          Cluster.start(
              kernel.world(),
              shape,
              List.of(
                  new KubeProxyAgent(config),
                  new dev.podpath.cluster.PolicyNodeAgent(),
                  new dev.podpath.cluster.LoadBalancerAgent()));
    } catch (RuntimeException e) {
      return ToolResult.error(1, "cluster: " + e.getMessage());
    }
    var cp = cluster.controlPlane();
    kubectl = new Kubectl(cp, directory);
    dns =
        new ClusterDns(
            StoreFeed.watch(cp.store()),
            DnsOptions.kubeadm(shape.clusterDomain()),
            Optional.empty(),
            new ResponseCache(CacheSettings.kubeadm(), () -> cp.clock().nanos()),
            () -> cp.clock().seconds());
    var out = new StringBuilder();
    if (!manifests.objects().isEmpty()) {
      try {
        cp.apply(manifests).forEach(l -> out.append(l).append('\n'));
      } catch (RuntimeException e) {
        return ToolResult.error(1, "cluster: " + e.getMessage());
      }
    }
    return ToolResult.ok(
        "cluster "
            + shape.name()
            + ": nodes "
            + String.join(
                ", ",
                shape.nodes().stream()
                    .map(n -> n.name() + " (" + n.addresses().get(0) + ")")
                    .toList())
            + "; pods "
            + shape.clusterCidrs().get(0)
            + ", services "
            + shape.serviceCidrs().get(0)
            + ", kube-proxy "
            + shape.proxyMode()
            + ", cni "
            + shape.cniMode()
            + "\n"
            + out);
  }

  private static String value(List<String> args, int i, String word) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("'" + word + "' needs a value");
    }
    return args.get(i);
  }

  private ToolResult kubectl(List<String> args, Optional<String> stdin) {
    if (cluster == null || kubectl == null) {
      return ToolResult.error(
          1,
          "The connection to the server localhost:8080 was refused - did you specify the right"
              + " host or port? (run 'cluster' first)");
    }
    if (!args.isEmpty() && args.get(0).equals("exec")) {
      return exec(args.subList(1, args.size()), stdin);
    }
    return kubectl.run(args, stdin);
  }

  /** {@code kubectl exec [-n NS] POD -- COMMAND…}: the command runs in the pod's namespace. */
  private ToolResult exec(List<String> args, Optional<String> stdin) {
    int dash = args.indexOf("--");
    if (dash < 0 || dash == args.size() - 1) {
      return ToolResult.error(
          1,
          "error: you must specify at least one command for the container (kubectl exec POD -- COMMAND)");
    }
    String ns = "default";
    String pod = null;
    for (int i = 0; i < dash; i++) {
      if (args.get(i).equals("-n") || args.get(i).equals("--namespace")) {
        ns = i + 1 < dash ? args.get(++i) : ns;
      } else if (!args.get(i).startsWith("-")) {
        pod = args.get(i).startsWith("pod/") ? args.get(i).substring(4) : args.get(i);
      }
    }
    if (pod == null) {
      return ToolResult.error(1, "error: expected 'exec POD -- COMMAND [args...]'");
    }
    Place place;
    try {
      place = podPlace(ns, pod);
    } catch (SetupException e) {
      return ToolResult.error(1, "Error from server (NotFound): " + e.getMessage());
    }
    List<String> command = args.subList(dash + 1, args.size());
    if (!kernel.knowsTool(command.get(0))) {
      return ToolResult.error(
          126,
          "OCI runtime exec failed: exec: \""
              + command.get(0)
              + "\": executable file not found in $PATH: unknown");
    }
    return kernel.run(place, command, stdin);
  }

  private ToolResult advance(List<String> args) {
    if (args.size() != 1) {
      return ToolResult.error(1, "advance: usage: advance DURATION (e.g. 30s, 5m, 1h30m)");
    }
    Duration d;
    try {
      d = Duration.parse("PT" + args.get(0).toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return ToolResult.error(
          1, "advance: bad duration '" + args.get(0) + "' (e.g. 30s, 5m, 1h30m)");
    }
    if (cluster != null) {
      cluster.controlPlane().advance(d);
    } else {
      kernel.world().clock().advance(d);
    }
    return ToolResult.ok();
  }

  // ---- pods as places, Kubernetes names as targets ---------------------------------------------

  @Override
  public Optional<Place> place(String spec) {
    if (!spec.startsWith("pod/")) {
      return Optional.empty();
    }
    String[] parts = spec.split("/");
    if (parts.length != 3) {
      throw new SetupException("'" + spec + "': a pod is written pod/NAMESPACE/NAME");
    }
    return Optional.of(podPlace(parts[1], parts[2]));
  }

  private Pod pod(String namespace, String name) {
    if (cluster == null) {
      throw new SetupException(
          "pod/" + namespace + "/" + name + " needs a cluster (run 'cluster' first)");
    }
    return cluster
        .controlPlane()
        .get(Pod.class, namespace, name)
        .orElseThrow(
            () -> new SetupException("pods \"" + name + "\" not found in namespace " + namespace));
  }

  private Place podPlace(String namespace, String name) {
    Pod p = pod(namespace, name);
    String node = p.getSpec().getNodeName();
    if (node == null || node.isEmpty()) {
      throw new SetupException("pod " + namespace + "/" + name + " is not scheduled (Pending)");
    }
    if (Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
      return Place.root(node);
    }
    String netns = PodSandboxes.netnsName(namespace, name);
    if (!kernel.hasNamespace(node, netns)) {
      throw new SetupException(
          "pod " + namespace + "/" + name + " has no sandbox on " + node + " (not started)");
    }
    return new Place(node, Optional.of(netns));
  }

  @Override
  public Optional<Target> target(String spec, Place from) {
    String host = spec;
    Optional<String> port = Optional.empty();
    int colon = spec.lastIndexOf(':');
    if (colon > 0) {
      host = spec.substring(0, colon);
      port = Optional.of(spec.substring(colon + 1));
    }
    if (host.startsWith("pod/")) {
      String[] parts = host.split("/");
      if (parts.length != 3) {
        throw new SetupException("a pod is written pod/NAMESPACE/NAME[:PORT]");
      }
      Pod p = pod(parts[1], parts[2]);
      if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
        throw new SetupException("pod " + parts[1] + "/" + parts[2] + " has no IP yet");
      }
      return Optional.of(
          new Target(IpAddress.parse(p.getStatus().getPodIP()), port.map(ClusterLabWorld::number)));
    }
    if (host.startsWith("svc/")) {
      String[] parts = host.split("/");
      if (parts.length != 3) {
        throw new SetupException("a service is written svc/NAMESPACE/NAME:PORT");
      }
      if (cluster == null) {
        throw new SetupException("needs a cluster (run 'cluster' first)");
      }
      Service s =
          cluster
              .controlPlane()
              .get(Service.class, parts[1], parts[2])
              .orElseThrow(
                  () ->
                      new SetupException(
                          "services \"" + parts[2] + "\" not found in namespace " + parts[1]));
      String ip = s.getSpec().getClusterIP();
      if (ip == null || ip.equals("None")) {
        throw new SetupException(
            "service " + parts[1] + "/" + parts[2] + " is headless: probe a pod, or its DNS name");
      }
      return Optional.of(new Target(IpAddress.parse(ip), port.map(p -> servicePort(s, p))));
    }
    if (cluster == null || dns == null || !host.matches("[A-Za-z0-9.-]+")) {
      return Optional.empty();
    }
    return Optional.of(new Target(resolve(host, from), port.map(ClusterLabWorld::number)));
  }

  private static int number(String port) {
    try {
      return Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new SetupException("bad port '" + port + "'");
    }
  }

  private static int servicePort(Service s, String port) {
    for (ServicePort p : s.getSpec().getPorts()) {
      if (port.equals(p.getName()) || port.equals(String.valueOf(p.getPort()))) {
        return p.getPort();
      }
    }
    throw new SetupException(
        "service "
            + s.getMetadata().getNamespace()
            + "/"
            + s.getMetadata().getName()
            + " has no port "
            + port);
  }

  /** Resolves a name as the pod at {@code from} would: its resolv.conf, search list and ndots. */
  private IpAddress resolve(String name, Place from) {
    var cp = cluster.controlPlane();
    var conf = dev.podpath.dns.resolv.ResolvConf.EMPTY;
    Optional<Pod> pod =
        cp
            .list(
                Pod.class,
                null,
                dev.podpath.kube.select.Selector.everything(),
                dev.podpath.kube.select.FieldSelector.everything())
            .stream()
            .filter(
                p ->
                    from.namespace()
                        .equals(
                            Optional.of(
                                PodSandboxes.netnsName(
                                    p.getMetadata().getNamespace(), p.getMetadata().getName()))))
            .findFirst();
    String dnsIp = cp.shape().serviceCidrs().get(0).network().plus(10).toString();
    try {
      var kubelet = KubeletDns.of(dnsIp, cp.shape().clusterDomain(), "nameserver 8.8.8.8\n");
      if (pod.isPresent()) {
        conf = kubelet.forPod(pod.get()).resolvConf();
      } else {
        conf = new dev.podpath.dns.resolv.ResolvConf(List.of(dnsIp), List.of(), List.of());
      }
    } catch (Exception e) {
      throw new SetupException("resolv.conf: " + e.getMessage());
    }
    var result = SearchWalk.walk(name, Type.A, conf, dns::handle);
    if (result.answer().isPresent()) {
      for (Record r : result.answer().get().getSection(Section.ANSWER)) {
        if (r instanceof ARecord a) {
          return IpAddress.parse(a.getAddress().getHostAddress());
        }
      }
    }
    var tried = new ArrayList<String>();
    result.steps().forEach(s -> tried.add(s.name() + " " + s.rcode()));
    throw new SetupException(
        "cannot resolve '" + name + "' (tried: " + String.join(", ", tried) + ")");
  }

  // ---- everything else is the kernel world's ----------------------------------------------

  @Override
  public boolean hasHost(String name) {
    return kernel.hasHost(name);
  }

  @Override
  public List<String> hostNames() {
    return kernel.hostNames();
  }

  @Override
  public void createHost(String name) {
    kernel.createHost(name);
  }

  @Override
  public void addNic(String host, String iface, IpAddress address, int prefixLength) {
    kernel.addNic(host, iface, address, prefixLength);
  }

  @Override
  public void addDefaultRoute(String host, IpAddress gateway) {
    kernel.addDefaultRoute(host, gateway);
  }

  @Override
  public boolean hasNamespace(String host, String namespace) {
    return kernel.hasNamespace(host, namespace);
  }

  @Override
  public ToolResult writeFile(Place place, String path, String content, boolean append) {
    return kernel.writeFile(place, path, content, append);
  }

  @Override
  public ToolResult serve(Place place, Protocol protocol, int port) {
    return kernel.serve(place, protocol, port);
  }

  @Override
  public List<Attempt> probe(Place from, ProbeSpec spec) {
    return kernel.probe(from, spec);
  }
}
