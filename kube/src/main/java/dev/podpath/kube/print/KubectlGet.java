package dev.podpath.kube.print;

import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.select.SelectorParseException;
import dev.podpath.kube.store.ApiStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubectl get TYPE[,TYPE…] [NAME…]} over an API store, shared by {@code podpath get} and the
 * lab's {@code kubectl}: lists each kind (in the namespace, or all of them with {@code -A} and for
 * cluster-scoped kinds) with the label and field selectors, keeps the named objects, and prints
 * them in kubectl's formats, the tables of several kinds apart by a blank line and their names
 * qualified. Standard error gets {@code Error from server (NotFound): KIND "NAME" not found} for a
 * name that is missing (exit status 1) and, when nothing at all was asked by name and nothing was
 * found, {@code No resources found in NS namespace.} ({@code No resources found} with {@code -A} or
 * when every kind asked for is cluster-scoped). A field selector over a field the kind cannot be
 * selected by is the API server's refusal, {@code Error from server (BadRequest): Unable to find
 * "/v1, Resource=pods" that match label selector "", field selector "spec.foo=x": field label not
 * supported: spec.foo}, exit status 1.
 */
public final class KubectlGet {

  private KubectlGet() {}

  /** What to get. */
  public record Request(
      List<Kind> kinds,
      List<String> names,
      String namespace,
      boolean allNamespaces,
      Selector labels,
      FieldSelector fields,
      OutputFormat format) {

    public Request {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("kinds must not be empty");
      }
      kinds = List.copyOf(kinds);
      names = List.copyOf(names);
    }
  }

  /** What kubectl writes to standard output and standard error, and its exit status. */
  public record Result(String out, String err, int exitCode) {}

  /** A resource type as kubectl accepts it ({@code pods}, {@code po}, {@code pod}, …). */
  public static Kind kind(String type) {
    return Kind.byResourceName(type)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the server doesn't have a resource type \"" + type + "\""));
  }

  /** Comma-separated resource types, each as {@link #kind}. */
  public static List<Kind> kinds(String types) {
    List<Kind> kinds = new ArrayList<>();
    for (String t : types.split(",")) {
      kinds.add(kind(t));
    }
    return kinds;
  }

  public static Result get(ApiStore store, Instant now, Request r) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    boolean multi = r.kinds().size() > 1;
    boolean missing = false;
    int shown = 0;
    for (Kind k : r.kinds()) {
      List<? extends HasMetadata> listed;
      try {
        listed =
            store.list(
                k.type(),
                r.allNamespaces() || !k.namespaced() ? null : r.namespace(),
                r.labels(),
                r.fields());
      } catch (SelectorParseException e) {
        // the API server refuses the list (400); kubectl stops at that kind
        err.append("Error from server (BadRequest): Unable to find \"")
            .append(k.group())
            .append('/')
            .append(k.apiVersion().substring(k.apiVersion().indexOf('/') + 1))
            .append(", Resource=")
            .append(k.plural())
            .append("\" that match label selector \"")
            .append(r.labels())
            .append("\", field selector \"")
            .append(r.fields())
            .append("\": ")
            .append(e.getMessage())
            .append('\n');
        return new Result(out.toString(), err.toString(), 1);
      }
      List<? extends HasMetadata> objects =
          listed.stream()
              .filter(o -> r.names().isEmpty() || r.names().contains(o.getMetadata().getName()))
              .toList();
      for (String n : r.names()) {
        if (objects.stream().noneMatch(o -> o.getMetadata().getName().equals(n))) {
          missing = true;
          err.append("Error from server (NotFound): ")
              .append(k.plural())
              .append(k.group().isEmpty() ? "" : "." + k.group())
              .append(" \"")
              .append(n)
              .append("\" not found\n");
        }
      }
      String text = Printer.print(objects, r.format(), r.allNamespaces(), now, multi);
      if (multi
          && !text.isEmpty()
          && shown > 0
          && (r.format() == OutputFormat.TABLE || r.format() == OutputFormat.WIDE)) {
        out.append('\n');
      }
      out.append(text);
      shown += objects.size();
    }
    if (shown == 0 && r.names().isEmpty()) {
      err.append(
          r.allNamespaces() || r.kinds().stream().noneMatch(Kind::namespaced)
              ? "No resources found\n"
              : "No resources found in " + r.namespace() + " namespace.\n");
    }
    return new Result(out.toString(), err.toString(), missing ? 1 : 0);
  }
}
