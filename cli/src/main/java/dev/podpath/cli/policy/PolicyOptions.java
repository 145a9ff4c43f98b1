package dev.podpath.cli.policy;

import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.Semantics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the policy subcommands: the manifests and the semantics to apply. */
public final class PolicyOptions {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      split = ",",
      paramLabel = "PATH",
      description =
          "Manifest files or directories (YAML/JSON, multi-document, List kinds), "
              + "read recursively like kubectl apply -f PATH -R.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--semantics",
      defaultValue = "kubernetes",
      paramLabel = "MODEL",
      description =
          "kubernetes (ipBlocks match pod IPs, host-network pods unselected; default) "
              + "or np-guard (ipBlocks match external addresses only).")
  String semantics = "kubernetes";

  Semantics semantics() {
    return switch (semantics) {
      case "kubernetes", "k8s" -> Semantics.KUBERNETES;
      case "np-guard", "npguard" -> Semantics.NP_GUARD;
      default ->
          throw new IllegalArgumentException(
              "--semantics: expected kubernetes or np-guard, got " + semantics);
    };
  }

  ClusterState load() {
    return ClusterLoader.load(files);
  }
}
