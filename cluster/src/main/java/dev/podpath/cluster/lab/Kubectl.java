package dev.podpath.cluster.lab;

import dev.podpath.kube.ControlPlane;
import dev.podpath.kube.io.ComponentConfig;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestReader;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.io.Source;
import dev.podpath.kube.io.UnmappedObject;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.print.KubectlGet;
import dev.podpath.kube.print.OutputFormat;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.LabelSelectors;
import dev.podpath.kube.select.SelectorParseException;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.workload.Rollouts;
import dev.podpath.shell.ToolResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubectl} over the cluster's control plane: {@code apply -f}, {@code delete}, {@code get},
 * {@code scale}, {@code label}, {@code rollout status|history|undo}, with kubectl's output lines
 * and error forms ({@code Error from server (NotFound): …}, {@code error: …}). {@code exec} is
 * handled by the lab world, which knows where pods live.
 */
final class Kubectl {

  private final ControlPlane cp;
  private final Path directory;

  Kubectl(ControlPlane cp, Path directory) {
    this.cp = cp;
    this.directory = directory;
  }

  /** Options common to the verbs, taken out of the words. */
  private record Parsed(
      List<String> positional,
      List<String> files,
      String namespace,
      boolean all,
      String selector,
      String fieldSelector,
      String output,
      Optional<Integer> replicas,
      boolean overwrite,
      Optional<Long> grace,
      long revision) {}

  private static Parsed parse(List<String> args) {
    var pos = new ArrayList<String>();
    var files = new ArrayList<String>();
    String ns = "default";
    boolean all = false;
    String sel = "";
    String fields = "";
    String out = "";
    Optional<Integer> replicas = Optional.empty();
    boolean overwrite = false;
    Optional<Long> grace = Optional.empty();
    long revision = 0;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
      String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      switch (flag) {
        case "-f", "--filename" -> files.add(value != null ? value : next(args, ++i, a));
        case "-n", "--namespace" -> ns = value != null ? value : next(args, ++i, a);
        case "-A", "--all-namespaces" -> all = true;
        case "-l", "--selector" -> sel = value != null ? value : next(args, ++i, a);
        case "--field-selector" -> fields = value != null ? value : next(args, ++i, a);
        case "-o", "--output" -> out = value != null ? value : next(args, ++i, a);
        case "--replicas" ->
            replicas = Optional.of(Integer.parseInt(value != null ? value : next(args, ++i, a)));
        case "--overwrite" -> overwrite = true;
        case "--grace-period" ->
            grace = Optional.of(Long.parseLong(value != null ? value : next(args, ++i, a)));
        case "--revision", "--to-revision" ->
            revision = revisionFlag(flag, value != null ? value : next(args, ++i, a));
        default -> {
          if (a.startsWith("-") && a.length() > 1) {
            throw new IllegalArgumentException("unknown flag: " + a);
          }
          pos.add(a);
        }
      }
    }
    return new Parsed(pos, files, ns, all, sel, fields, out, replicas, overwrite, grace, revision);
  }

  private static long revisionFlag(String flag, String value) {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "invalid argument \"" + value + "\" for \"" + flag + "\" flag: must be a revision number");
  }

  private static String next(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("flag needs an argument: " + flag);
    }
    return args.get(i);
  }

  ToolResult run(List<String> args, Optional<String> stdin) {
    if (args.isEmpty()) {
      return ToolResult.error(
          1, "error: kubectl needs a command (apply, delete, get, scale, label, rollout, exec)");
    }
    try {
      Parsed p = parse(args.subList(1, args.size()));
      return switch (args.get(0)) {
        case "apply" -> apply(manifests(p, stdin, ManifestReader.Unmapped.KEEP));
        case "delete" -> delete(p, stdin);
        case "get" -> get(p);
        case "scale" -> scale(p);
        case "label" -> label(p);
        case "rollout" -> rollout(p);
        default ->
            ToolResult.error(1, "error: unknown command \"" + args.get(0) + "\" for \"kubectl\"");
      };
    } catch (ApiException e) {
      return ToolResult.error(1, e.kubectlMessage());
    } catch (ManifestException | SelectorParseException | IllegalArgumentException e) {
      return ToolResult.error(1, "error: " + e.getMessage());
    }
  }

  private ManifestSet manifests(Parsed p, Optional<String> stdin, ManifestReader.Unmapped keep) {
    if (p.files().isEmpty()) {
      throw new IllegalArgumentException("must specify one of -f and -k");
    }
    ManifestSet set = ManifestSet.empty();
    for (String f : p.files()) {
      set =
          set.plus(
              f.equals("-")
                  ? ManifestReader.read(
                      new ByteArrayInputStream(stdin.orElse("").getBytes(StandardCharsets.UTF_8)),
                      "-",
                      keep)
                  : ManifestReader.read(directory.resolve(f), keep));
    }
    return set;
  }

  /**
   * {@code kubectl apply}: applies the API objects; a document the API server has no resource for
   * (podpath's {@code Cluster}, a {@code KubeProxyConfiguration}, any kind it does not serve) is
   * kubectl's "resource mapping not found" on standard error and exit status 1, while the file's
   * other objects are applied, as kubectl does (it collects the mapping errors and still applies
   * what it could map).
   */
  private ToolResult apply(ManifestSet set) {
    return withMappingErrors(set, lines(cp.apply(set)));
  }

  /**
   * {@code kubectl delete -f}: deletes the API objects; the documents the API server has no
   * resource for are reported as for {@link #apply} (kubectl's resource builder maps each document
   * and, continuing on error, deletes what it could map), exit status 1.
   */
  private ToolResult deleteFiles(ManifestSet set) {
    return withMappingErrors(set, lines(cp.delete(set)));
  }

  /** {@code out} and exit 0, or with the set's mapping errors on standard error and exit 1. */
  private ToolResult withMappingErrors(ManifestSet set, String out) {
    List<Unmapped> unmapped = new ArrayList<>();
    set.cluster()
        .ifPresent(
            c ->
                unmapped.add(
                    new Unmapped(
                        c.source(),
                        c.shape().name(),
                        "",
                        "Cluster",
                        dev.podpath.kube.shape.ClusterShape.API_VERSION)));
    for (ComponentConfig c : set.componentConfigs()) {
      var meta = c.document().path("metadata");
      unmapped.add(
          new Unmapped(
              c.source(),
              meta.path("name").asText(""),
              meta.path("namespace").asText(""),
              c.kind(),
              c.apiVersion()));
    }
    for (UnmappedObject u : set.unmapped()) {
      unmapped.add(new Unmapped(u.source(), u.name(), u.namespace(), u.kind(), u.apiVersion()));
    }
    if (unmapped.isEmpty()) {
      return ToolResult.ok(out);
    }
    unmapped.sort(
        java.util.Comparator.comparing((Unmapped u) -> u.source().file())
            .thenComparingInt(u -> u.source().line()));
    List<String> errors = new ArrayList<>();
    for (Unmapped u : unmapped) {
      errors.add(
          "resource mapping not found for name: \""
              + u.name()
              + "\" namespace: \""
              + u.namespace()
              + "\" from \""
              + asGiven(u.source().file())
              + "\": no matches for kind \""
              + u.kind()
              + "\" in version \""
              + u.apiVersion()
              + "\"\nensure CRDs are installed first");
    }
    // kubectl prints one error with "error: ", several each on its own lines without it
    String err = (errors.size() == 1 ? "error: " : "") + String.join("\n", errors) + "\n";
    return new ToolResult(1, out, err);
  }

  private record Unmapped(
      Source source, String name, String namespace, String kind, String apiVersion) {}

  /** A file as the user named it: relative to the lab's directory; standard input is STDIN. */
  private String asGiven(String file) {
    if (file.equals("-")) {
      return "STDIN";
    }
    Path p = Path.of(file);
    return p.startsWith(directory) ? directory.relativize(p).toString() : file;
  }

  private static String lines(List<String> lines) {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private ToolResult delete(Parsed p, Optional<String> stdin) {
    if (!p.files().isEmpty()) {
      return deleteFiles(manifests(p, stdin, ManifestReader.Unmapped.KEEP));
    }
    var target = kindAndName(p.positional(), "delete");
    cp.delete(
        target.kind(),
        target.kind().namespaced() ? p.namespace() : "",
        target.name(),
        p.grace().orElse(null));
    return ToolResult.ok(
        target.kind().qualifiedSingular() + " \"" + target.name() + "\" deleted\n");
  }

  private record Target(Kind kind, String name) {}

  /** {@code KIND NAME} or {@code KIND/NAME}. */
  private static Target kindAndName(List<String> pos, String verb) {
    if (pos.size() == 1 && pos.get(0).contains("/")) {
      String[] kn = pos.get(0).split("/", 2);
      return new Target(KubectlGet.kind(kn[0]), kn[1]);
    }
    if (pos.size() != 2) {
      throw new IllegalArgumentException(verb + " needs TYPE NAME or TYPE/NAME");
    }
    return new Target(KubectlGet.kind(pos.get(0)), pos.get(1));
  }

  private ToolResult get(Parsed p) {
    if (p.positional().isEmpty()) {
      throw new IllegalArgumentException("You must specify the type of resource to get.");
    }
    String type = p.positional().get(0);
    List<String> names = new ArrayList<>(p.positional().subList(1, p.positional().size()));
    if (type.contains("/")) {
      names.add(type.substring(type.indexOf('/') + 1));
      type = type.substring(0, type.indexOf('/'));
    }
    KubectlGet.Result r =
        KubectlGet.get(
            cp.store(),
            cp.clock().now(),
            new KubectlGet.Request(
                KubectlGet.kinds(type),
                names,
                p.namespace(),
                p.all(),
                LabelSelectors.parse(p.selector()),
                FieldSelector.parse(p.fieldSelector()),
                OutputFormat.parse(p.output())));
    return new ToolResult(r.exitCode(), r.out(), r.err());
  }

  private ToolResult scale(Parsed p) {
    var t = kindAndName(p.positional(), "scale");
    int replicas =
        p.replicas()
            .orElseThrow(
                () -> new IllegalArgumentException("required flag(s) \"replicas\" not set"));
    cp.scale(t.kind(), p.namespace(), t.name(), replicas);
    return ToolResult.ok(t.kind().qualifiedSingular() + "/" + t.name() + " scaled\n");
  }

  private ToolResult label(Parsed p) {
    if (p.positional().size() < 2) {
      throw new IllegalArgumentException("label needs TYPE NAME KEY=VALUE...");
    }
    boolean slash = p.positional().get(0).contains("/");
    var t = kindAndName(p.positional().subList(0, slash ? 1 : 2), "label");
    List<String> changes = p.positional().subList(slash ? 1 : 2, p.positional().size());
    cp.label(
        t.kind(), t.kind().namespaced() ? p.namespace() : "", t.name(), changes, p.overwrite());
    return ToolResult.ok(t.kind().qualifiedSingular() + "/" + t.name() + " labeled\n");
  }

  private ToolResult rollout(Parsed p) {
    String sub = p.positional().isEmpty() ? "" : p.positional().get(0);
    if (!List.of("status", "history", "undo").contains(sub) || p.positional().size() < 2) {
      throw new IllegalArgumentException(
          "rollout supports: rollout status|history|undo TYPE/NAME (or TYPE NAME)");
    }
    var t = kindAndName(p.positional().subList(1, p.positional().size()), "rollout " + sub);
    String what = t.kind().qualifiedSingular() + "/" + t.name();
    try {
      return switch (sub) {
        case "history" -> {
          String text = cp.rolloutHistory(t.kind(), p.namespace(), t.name(), p.revision());
          // kubectl's name printer: "KIND/NAME" + " " + operation, even an empty one
          String head = what + " " + (p.revision() > 0 ? "with revision #" + p.revision() : "");
          yield ToolResult.ok(head + "\n" + text + "\n");
        }
        case "undo" ->
            ToolResult.ok(
                what
                    + " "
                    + cp.rolloutUndo(t.kind(), p.namespace(), t.name(), p.revision())
                    + "\n");
        default -> status(p, t);
      };
    } catch (Rollouts.RolloutException e) {
      return ToolResult.error(1, "error: " + e.getMessage());
    }
  }

  private ToolResult status(Parsed p, Target t) {
    if (t.kind() != Kind.DEPLOYMENT) {
      throw new IllegalArgumentException("rollout status supports deployments");
    }
    boolean done = cp.rolloutComplete(p.namespace(), t.name());
    return done
        ? ToolResult.ok("deployment \"" + t.name() + "\" successfully rolled out\n")
        : ToolResult.error(
            1,
            "error: deployment \""
                + t.name()
                + "\" rollout is not complete (advance time, then ask again)");
  }
}
