package dev.podpath.cli.get;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ClusterManifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.print.KubectlGet;
import dev.podpath.kube.print.OutputFormat;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.SelectorParseException;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.store.ApiException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podpath get TYPE[,TYPE…] [NAME…] -f MANIFESTS…}: applies the manifests to a fresh emulated
 * control plane (the {@code Cluster} document among them, or the default shape), lets the
 * controllers run, and prints what they derived in kubectl's formats.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Show what the Kubernetes control plane derives from manifests, as kubectl get prints it.",
      "",
      "Example: podpath get endpointslices -f examples/k8s/"
    })
public final class GetCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TYPE",
      description =
          "Resource type(s), comma-separated: pods, services, endpoints,"
              + " endpointslices, deployments, replicasets, statefulsets, daemonsets, nodes, …")
  String types;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Only these objects.")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-f", "--filename"},
      required = true,
      arity = "1..*",
      paramLabel = "FILE",
      description = "Manifest files or directories (recursively), or - for standard input.")
  List<String> files = new ArrayList<>();

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      defaultValue = "default",
      description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "All namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      defaultValue = "",
      description = "Label selector, e.g. app=web,tier in (fe,be).")
  String selector;

  @Option(
      names = "--field-selector",
      paramLabel = "SELECTOR",
      defaultValue = "",
      description = "Field selector, e.g. spec.nodeName=worker.")
  String fieldSelector;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "",
      description = "wide, yaml, json or name.")
  String output;

  @Option(
      names = "--after",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "Advance virtual time this long before printing (e.g. 30s), so grace"
              + " periods run out.")
  String after;

  @Option(
      names = "--max-endpoints-per-slice",
      paramLabel = "N",
      defaultValue = "100",
      description = "The EndpointSlice controller's --max-endpoints-per-slice.")
  int maxEndpointsPerSlice;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      OutputFormat format = OutputFormat.parse(output);
      ManifestSet set = ManifestReader.read(files, System.in);
      ClusterShape shape =
          set.cluster().map(ClusterManifest::shape).orElse(ClusterShape.defaults());
      ControlPlane cp =
          ControlPlane.start(
              shape,
              new dev.podpath.net.VirtualClock(),
              ControlPlane.Options.defaults().withMaxEndpointsPerSlice(maxEndpointsPerSlice));
      cp.apply(set);
      cp.advance(Duration.parse("PT" + after.toUpperCase(java.util.Locale.ROOT)));
      KubectlGet.Result result =
          KubectlGet.get(
              cp.store(),
              cp.clock().now(),
              new KubectlGet.Request(
                  KubectlGet.kinds(types),
                  names,
                  namespace,
                  allNamespaces,
                  LabelSelectors.parse(selector),
                  FieldSelector.parse(fieldSelector),
                  format));
      out.print(result.out());
      err.print(result.err());
      return result.exitCode();
    } catch (ManifestException
        | ApiException
        | SelectorParseException
        | IllegalArgumentException
        | java.time.format.DateTimeParseException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
