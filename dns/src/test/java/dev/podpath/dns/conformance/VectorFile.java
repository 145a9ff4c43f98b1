package dev.podpath.dns.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads {@code specs/dns-vectors.yaml} from the shared reference data, if present. */
final class VectorFile {

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private VectorFile() {}

  /** The file's tree, or empty when the shared data is absent. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> load() throws IOException {
    String shared = System.getProperty("podpath.shared");
    if (shared == null) {
      return Optional.empty();
    }
    Path p = Path.of(shared, "specs", "dns-vectors.yaml");
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    LoaderOptions opts = new LoaderOptions();
    opts.setMaxAliasesForCollections(1000);
    try (Reader r = Files.newBufferedReader(p)) {
      return Optional.of((Map<String, Object>) new Yaml(opts).load(r));
    }
  }

  /** The API objects of a list of YAML maps (kinds DNS does not read are skipped). */
  @SuppressWarnings("unchecked")
  static List<HasMetadata> objects(Object list) {
    List<HasMetadata> out = new ArrayList<>();
    for (Object o : (List<Object>) list) {
      Map<String, Object> m = (Map<String, Object>) o;
      Class<? extends HasMetadata> type =
          switch ((String) m.get("kind")) {
            case "Service" -> Service.class;
            case "EndpointSlice" -> EndpointSlice.class;
            case "Endpoints" -> Endpoints.class;
            case "Pod" -> Pod.class;
            case "Namespace" -> Namespace.class;
            default -> null;
          };
      if (type != null) {
        out.add(JSON.convertValue(m, type));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }
}
