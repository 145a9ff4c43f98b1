package dev.podpath.cli.policy;

import dev.podpath.policy.analysis.Focus;
import dev.podpath.policy.analysis.Reachability;
import dev.podpath.policy.analysis.Renderer;
import dev.podpath.policy.load.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code podpath reach}: which workloads and external ranges may connect, on which ports. */
@Command(
    name = "reach",
    mixinStandardHelpOptions = true,
    description =
        "Connectivity allowed by NetworkPolicies between workloads (pods grouped by "
            + "controlling owner) and external IP ranges.")
public final class ReachCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PolicyOptions inputs;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "txt",
      paramLabel = "FORMAT",
      description = "txt, json, csv, md or connlist (np-guard's line format).")
  String output = "txt";

  @Option(
      names = "--focus-workload",
      split = ",",
      paramLabel = "W",
      description = "Keep only lines to or from these workloads (NAME or NS/NAME).")
  List<String> focusWorkloads = new ArrayList<>();

  @Option(
      names = "--focus-namespace",
      split = ",",
      paramLabel = "N",
      description = "Keep only lines with an end in these namespaces.")
  List<String> focusNamespaces = new ArrayList<>();

  @Option(
      names = "--focus-direction",
      paramLabel = "DIR",
      description = "With --focus-workload: ingress (into it) or egress (out of it).")
  Optional<String> focusDirection = Optional.empty();

  @Option(
      names = "--focus-peer",
      split = ",",
      paramLabel = "W",
      description = "With --focus-workload: the other end must be one of these workloads.")
  List<String> focusPeers = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "PROTO-PORT",
      description = "List only pairs allowing this port, e.g. tcp-8080 (np-guard's focusConn).")
  Optional<String> port = Optional.empty();

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      var focus =
          new Focus(
              focusWorkloads,
              focusDirection.map(
                  d -> Focus.FocusDirection.valueOf(d.toUpperCase(java.util.Locale.ROOT))),
              focusPeers,
              focusNamespaces);
      var format = Renderer.Format.parse(output);
      var reach = Reachability.of(inputs.load(), inputs.semantics());
      reach.warnings().forEach(w -> err.println("warning: " + w));
      var lines = reach.connections(focus);
      out.print(
          port.isPresent()
              ? Renderer.permitted(lines, Renderer.PortQuery.parse(port.get()))
              : Renderer.render(lines, format));
      out.flush();
      return 0;
    } catch (InputException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }
}
