package dev.podpath.cli.get;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ClusterManifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.print.OutputFormat;
import dev.podpath.kube.print.Printer;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.SelectorParseException;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.store.ApiException;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
      List<Kind> kinds = new ArrayList<>();
      for (String t : types.split(",")) {
        kinds.add(
            Kind.byResourceName(t)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "the server doesn't have a resource type \"" + t + "\"")));
      }
      boolean multi = kinds.size() > 1;
      int shown = 0;
      for (Kind k : kinds) {
        List<? extends HasMetadata> objects =
            cp
                .list(
                    k.type(),
                    allNamespaces || !k.namespaced() ? null : namespace,
                    LabelSelectors.parse(selector),
                    FieldSelector.parse(fieldSelector))
                .stream()
                .filter(o -> names.isEmpty() || names.contains(o.getMetadata().getName()))
                .toList();
        for (String n : names) {
          if (objects.stream().noneMatch(o -> o.getMetadata().getName().equals(n))) {
            err.println(
                "Error from server (NotFound): "
                    + k.plural()
                    + (k.group().isEmpty() ? "" : "." + k.group())
                    + " \""
                    + n
                    + "\" not found");
          }
        }
        String text = Printer.print(objects, format, allNamespaces, cp.clock().now(), multi);
        if (multi
            && !text.isEmpty()
            && shown > 0
            && (format == OutputFormat.TABLE || format == OutputFormat.WIDE)) {
          out.println();
        }
        out.print(text);
        shown += objects.size();
      }
      if (shown == 0 && names.isEmpty()) {
        err.println(
            allNamespaces
                ? "No resources found"
                : "No resources found in " + namespace + " namespace.");
      }
      return names.isEmpty() || shown == names.size() * kinds.size() ? 0 : 1;
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
