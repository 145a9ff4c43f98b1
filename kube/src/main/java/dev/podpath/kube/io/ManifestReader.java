package dev.podpath.kube.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.shape.ClusterShape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests the way {@code kubectl apply -f} does: YAML (multi-document) or JSON,
 * {@code kind: List} (items flattened, each with its own line), directories (files ending in {@code
 * .yaml}, {@code .yml} or {@code .json}, recursively, in sorted path order) and standard input
 * ({@code -}). podpath's own {@code Cluster} kind ({@code podpath.dev/v1alpha1}) is returned apart,
 * and so are component configurations ({@code KubeProxyConfiguration}, {@code
 * kubeproxy.config.k8s.io/v1alpha1}), untouched, for the component that reads them. Anything it
 * cannot read is a {@link ManifestException} naming file:line; nothing is returned then. A kind the
 * API server does not serve is such an error too, unless the caller asks to keep such documents
 * ({@link Unmapped#KEEP}, for {@code kubectl apply} and {@code delete}, which report them and apply
 * or delete the rest).
 */
public final class ManifestReader {

  private ManifestReader() {}

  /** What to do with a document of a kind the API server does not serve. */
  public enum Unmapped {
    /** An error at its file:line, nothing returned. */
    REFUSE,
    /** Returned in {@link ManifestSet#unmapped()}. */
    KEEP
  }

  /** Reads files and directories; the argument {@code -} reads {@code stdin}. */
  public static ManifestSet read(List<String> arguments, InputStream stdin) {
    ManifestSet all = ManifestSet.empty();
    for (String arg : arguments) {
      if (arg.equals("-")) {
        all = all.plus(read(stdin, "-"));
      } else {
        all = all.plus(read(Path.of(arg)));
      }
    }
    return all;
  }

  /** Reads a file, or every manifest file under a directory in sorted order. */
  public static ManifestSet read(Path path) {
    return read(path, Unmapped.REFUSE);
  }

  /** {@link #read(Path)}, keeping or refusing documents of kinds the API server does not serve. */
  public static ManifestSet read(Path path, Unmapped unmapped) {
    if (!Files.exists(path)) {
      throw new ManifestException(
          new Source(path.toString(), 0), "the path \"" + path + "\" does not exist");
    }
    if (!Files.isDirectory(path)) {
      return parse(path.toString(), readFile(path), unmapped);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(path)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(ManifestReader::isManifestFile)
              .sorted((a, b) -> a.toString().compareTo(b.toString()))
              .toList();
    } catch (IOException e) {
      throw new ManifestException(
          new Source(path.toString(), 0), "cannot list directory: " + e.getMessage());
    }
    ManifestSet all = ManifestSet.empty();
    for (Path f : files) {
      all = all.plus(parse(f.toString(), readFile(f), unmapped));
    }
    return all;
  }

  /** Reads a whole stream (standard input, a heredoc) named {@code name} in messages. */
  public static ManifestSet read(InputStream in, String name) {
    return read(in, name, Unmapped.REFUSE);
  }

  /** {@link #read(InputStream, String)}, keeping or refusing unmapped documents. */
  public static ManifestSet read(InputStream in, String name, Unmapped unmapped) {
    try {
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), unmapped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses manifest text; {@code file} names it in locations. */
  public static ManifestSet parse(String file, String text) {
    return parse(file, text, Unmapped.REFUSE);
  }

  /** {@link #parse(String, String)}, keeping or refusing unmapped documents. */
  public static ManifestSet parse(String file, String text, Unmapped unmapped) {
    LocatedTrees.Parsed parsed = LocatedTrees.parse(file, text);
    List<Manifest> objects = new ArrayList<>();
    Optional<ClusterManifest> cluster = Optional.empty();
    List<ComponentConfig> configs = new ArrayList<>();
    List<UnmappedObject> kept = new ArrayList<>();
    for (JsonNode doc : parsed.documents()) {
      Source src = new Source(file, parsed.lines().getOrDefault(doc, 1));
      if (!(doc instanceof ObjectNode obj)) {
        throw new ManifestException(src, "expected an object, got " + doc.getNodeType());
      }
      String apiVersion = obj.path("apiVersion").asText("");
      String kind = obj.path("kind").asText("");
      if (kind.endsWith("List") && obj.has("items")) {
        for (JsonNode item : obj.path("items")) {
          Source itemSrc = new Source(file, parsed.lines().getOrDefault(item, src.line()));
          if (item instanceof ObjectNode itemObj && isCluster(itemObj)) {
            cluster =
                oneCluster(
                    cluster,
                    new ClusterManifest(ClusterShapeReader.fromJson(itemObj, itemSrc), itemSrc));
          } else if (item instanceof ObjectNode itemObj
              && ComponentConfig.of(itemObj, itemSrc).isPresent()) {
            configs.add(ComponentConfig.of(itemObj, itemSrc).orElseThrow());
          } else {
            add(item, itemSrc, unmapped, objects, kept);
          }
        }
      } else if (isCluster(obj)) {
        cluster =
            oneCluster(cluster, new ClusterManifest(ClusterShapeReader.fromJson(obj, src), src));
      } else if (ComponentConfig.of(obj, src).isPresent()) {
        configs.add(ComponentConfig.of(obj, src).orElseThrow());
      } else {
        add(obj, src, unmapped, objects, kept);
      }
      if (apiVersion.isEmpty() && kind.isEmpty()) {
        throw new ManifestException(src, "Object 'Kind' is missing in '" + shorten(doc) + "'");
      }
    }
    ManifestSet set = new ManifestSet(objects, cluster, configs, kept);
    set.kubeProxyConfiguration(); // at most one per input
    return set;
  }

  private static Optional<ClusterManifest> oneCluster(
      Optional<ClusterManifest> had, ClusterManifest c) {
    if (had.isPresent()) {
      throw new ManifestException(
          c.source(), "a second Cluster (the first is at " + had.get().source() + ")");
    }
    return Optional.of(c);
  }

  private static boolean isCluster(ObjectNode obj) {
    return obj.path("kind").asText("").equals("Cluster")
        && obj.path("apiVersion").asText("").startsWith(ClusterShape.API_GROUP + "/");
  }

  private static void add(
      JsonNode node,
      Source src,
      Unmapped unmapped,
      List<Manifest> objects,
      List<UnmappedObject> kept) {
    String apiVersion = node.path("apiVersion").asText("");
    String kindName = node.path("kind").asText("");
    if (unmapped == Unmapped.KEEP
        && !apiVersion.isEmpty()
        && !kindName.isEmpty()
        && Kind.of(apiVersion, kindName).isEmpty()) {
      JsonNode meta = node.path("metadata");
      kept.add(
          new UnmappedObject(
              apiVersion,
              kindName,
              meta.path("name").asText(""),
              meta.path("namespace").asText(""),
              src));
    } else {
      objects.add(toObject(node, src));
    }
  }

  private static Manifest toObject(JsonNode node, Source src) {
    String apiVersion = node.path("apiVersion").asText("");
    String kindName = node.path("kind").asText("");
    if (kindName.isEmpty()) {
      throw new ManifestException(src, "Object 'Kind' is missing in '" + shorten(node) + "'");
    }
    if (apiVersion.isEmpty()) {
      throw new ManifestException(src, "Object 'apiVersion' is missing in '" + shorten(node) + "'");
    }
    Kind kind =
        Kind.of(apiVersion, kindName)
            .orElseThrow(
                () ->
                    new ManifestException(
                        src,
                        "no matches for kind \""
                            + kindName
                            + "\" in version \""
                            + apiVersion
                            + "\""));
    try {
      HasMetadata object = Json.MAPPER.treeToValue(node, kind.type());
      return new Manifest(object, src);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String field =
          e instanceof com.fasterxml.jackson.databind.JsonMappingException jme
              ? jme.getPathReference()
              : "";
      throw new ManifestException(
          src,
          "cannot decode "
              + kindName
              + ": "
              + LocatedTrees.firstLine(e.getMessage())
              + (field.isEmpty() ? "" : " at " + field));
    }
  }

  private static String shorten(JsonNode node) {
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  private static boolean isManifestFile(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static String readFile(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException(new Source(p.toString(), 0), "cannot read: " + e.getMessage());
    }
  }
}
