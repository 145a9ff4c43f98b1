package dev.podpath.kube.workload;

import dev.podpath.kube.io.Json;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} label: FNV-32a of the pod template (and the collision count), its
 * decimal text mapped onto the API's safe alphabet as {@code rand.SafeEncodeString} does. The input
 * is the template's JSON, not Go's struct dump, so values differ from a real cluster's; the form
 * (e.g. {@code 7d4b9c8f5}) and the behaviour (same template, same hash) are the same.
 */
public final class TemplateHash {

  public static final String LABEL = "pod-template-hash";
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  private TemplateHash() {}

  public static String of(PodTemplateSpec template, int collisionCount) {
    PodTemplateSpec clean = withoutHash(template);
    byte[] data =
        (Json.write(clean) + (collisionCount == 0 ? "" : "#" + collisionCount))
            .getBytes(StandardCharsets.UTF_8);
    return encode(data);
  }

  /** FNV-32a of {@code data}, its decimal text mapped onto the safe alphabet. */
  public static String encode(byte[] data) {
    int h = 0x811c9dc5;
    for (byte b : data) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    String decimal = Long.toString(Integer.toUnsignedLong(h));
    StringBuilder sb = new StringBuilder();
    for (char c : decimal.toCharArray()) {
      sb.append(SAFE.charAt(c % SAFE.length()));
    }
    return sb.toString();
  }

  /** The template without the hash label (how templates are compared). */
  public static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      Map<String, String> labels = new TreeMap<>(copy.getMetadata().getLabels());
      labels.remove(LABEL);
      copy.getMetadata().setLabels(labels);
    }
    return copy;
  }

  /** Whether two templates are equal apart from the hash label. */
  public static boolean sameTemplate(PodTemplateSpec a, PodTemplateSpec b) {
    return Json.write(withoutHash(a)).equals(Json.write(withoutHash(b)));
  }
}
