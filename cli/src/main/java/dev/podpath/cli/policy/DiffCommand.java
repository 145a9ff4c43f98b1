package dev.podpath.cli.policy;

import dev.podpath.policy.analysis.AllowList;
import dev.podpath.policy.analysis.ReachDiff;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.InputException;
import dev.podpath.policy.model.Semantics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code podpath diff}: connections opened and closed between two versions of manifests. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "Connections opened (+) and closed (-) between two versions of the manifests. "
            + "Exit code 1 when a change is not accepted by the --allow file, 0 otherwise, 2 on bad "
            + "input.")
public final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "Old manifests (file or directory).")
  Path older = Path.of(".");

  @Parameters(index = "1", paramLabel = "NEW", description = "New manifests (file or directory).")
  Path newer = Path.of(".");

  @Option(
      names = "--allow",
      paramLabel = "FILE",
      description = "Accepted changes, one '[+|-] SRC => DST' per line ('*' matches anything).")
  Optional<Path> allow = Optional.empty();

  @Option(
      names = "--semantics",
      defaultValue = "kubernetes",
      paramLabel = "MODEL",
      description = "kubernetes (default) or np-guard.")
  String semantics = "kubernetes";

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      Semantics sem =
          switch (semantics) {
            case "kubernetes", "k8s" -> Semantics.KUBERNETES;
            case "np-guard", "npguard" -> Semantics.NP_GUARD;
            default ->
                throw new IllegalArgumentException(
                    "--semantics: expected kubernetes or np-guard, got " + semantics);
          };
      AllowList accepted = AllowList.EMPTY;
      if (allow.isPresent()) {
        accepted = AllowList.parse(Files.readString(allow.get()));
      }
      var changes =
          ReachDiff.between(
              ClusterLoader.load(List.of(older)), ClusterLoader.load(List.of(newer)), sem);
      int unaccepted = 0;
      for (var c : changes) {
        for (String line : c.lines()) {
          boolean ok = accepted.accepts(line.substring(0, 1), c);
          if (!ok) {
            unaccepted++;
          }
          out.println(line + (ok ? "   (allowed)" : ""));
        }
      }
      if (changes.isEmpty()) {
        out.println("no change in connectivity");
      }
      out.flush();
      if (unaccepted > 0) {
        err.println(unaccepted + " change(s) not in the allow-list");
        return 1;
      }
      return 0;
    } catch (InputException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: cannot read allow-list: " + e.getMessage());
      return 2;
    }
  }
}
