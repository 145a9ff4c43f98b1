package dev.podpath.kube.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.kube.io.Json;
import dev.podpath.kube.model.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints objects as {@code kubectl get} does: aligned table columns (three spaces apart, a
 * NAMESPACE column with {@code -A}), {@code -o wide}, {@code -o yaml}/{@code json} (one object, or
 * a {@code List}), and {@code -o name}.
 */
public final class Printer {

  private Printer() {}

  /** The text for {@code objects} (all of one kind); empty when there are none. */
  public static String print(
      List<? extends HasMetadata> objects,
      OutputFormat format,
      boolean withNamespace,
      Instant now) {
    return print(objects, format, withNamespace, now, false);
  }

  /**
   * As above; {@code qualifyNames} prefixes table names with {@code kind.group/}, as kubectl does
   * when several types are asked for ({@code pod/web-0}, {@code service/web}).
   */
  public static String print(
      List<? extends HasMetadata> objects,
      OutputFormat format,
      boolean withNamespace,
      Instant now,
      boolean qualifyNames) {
    if (objects.isEmpty()) {
      return "";
    }
    return switch (format) {
      case NAME -> {
        StringBuilder sb = new StringBuilder();
        for (HasMetadata o : objects) {
          sb.append(Kind.of(o).qualifiedSingular())
              .append('/')
              .append(o.getMetadata().getName())
              .append('\n');
        }
        yield sb.toString();
      }
      case YAML -> Json.yaml(document(objects));
      case JSON -> Json.pretty(document(objects)) + "\n";
      case TABLE, WIDE ->
          table(objects, format == OutputFormat.WIDE, withNamespace, now, qualifyNames);
    };
  }

  private static Object document(List<? extends HasMetadata> objects) {
    if (objects.size() == 1) {
      return objects.getFirst();
    }
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("apiVersion", "v1");
    ArrayNode items = list.putArray("items");
    objects.forEach(o -> items.add(Json.MAPPER.valueToTree(o)));
    list.put("kind", "List");
    list.putObject("metadata").put("resourceVersion", "");
    return list;
  }

  private static String table(
      List<? extends HasMetadata> objects,
      boolean wide,
      boolean withNamespace,
      Instant now,
      boolean qualifyNames) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    if (withNamespace && Kind.of(objects.getFirst()).namespaced()) {
      header.add("NAMESPACE");
    }
    header.addAll(TableRows.header(objects.getFirst(), wide));
    rows.add(header);
    for (HasMetadata o : objects) {
      List<String> row = new ArrayList<>();
      if (withNamespace && Kind.of(o).namespaced()) {
        row.add(o.getMetadata().getNamespace());
      }
      List<String> cells = new ArrayList<>(TableRows.row(o, wide, now));
      if (qualifyNames) {
        cells.set(0, Kind.of(o).qualifiedSingular() + "/" + cells.getFirst());
      }
      row.addAll(cells);
      rows.add(row);
    }
    return align(rows);
  }

  /** Columns padded to their widest cell plus three spaces, as kubectl's tabwriter does. */
  static String align(List<List<String>> rows) {
    int cols = rows.getFirst().size();
    int[] width = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < cols && i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols && i < r.size(); i++) {
        line.append(r.get(i));
        if (i < cols - 1) {
          line.append(" ".repeat(width[i] - r.get(i).length() + 3));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
