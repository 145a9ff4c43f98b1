package dev.podpath.policy.analysis;

import dev.podpath.net.Protocol;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Explanation;
import dev.podpath.policy.eval.Verdict;
import java.util.Optional;

/** Renders an {@link Explanation} for people: each direction's policies and rules, a verdict. */
public final class ExplanationText {
  private ExplanationText() {}

  /** The explanation, with a verdict line for one protocol and port when given. */
  public static String render(Explanation e, Optional<Renderer.PortQuery> port) {
    var sb = new StringBuilder();
    sb.append("Connections from ")
        .append(describe(e.source()))
        .append(" to ")
        .append(describe(e.destination()))
        .append(":\n");
    sb.append("  allowed: ").append(e.allowed()).append("\n\n");
    direction(sb, e.egress(), e.source(), e.destination());
    direction(sb, e.ingress(), e.destination(), e.source());
    port.ifPresent(
        q -> {
          boolean ok = e.allowed().allows(q.protocol(), q.port());
          sb.append("\nVerdict for ")
              .append(q.protocol().name())
              .append(' ')
              .append(q.port())
              .append(": ")
              .append(ok ? "ALLOWED" : "DENIED");
          if (!ok) {
            sb.append(" (").append(blocker(e, q.protocol(), q.port())).append(')');
          }
          sb.append('\n');
        });
    return sb.toString();
  }

  private static String blocker(Explanation e, Protocol p, int port) {
    var parts = new java.util.ArrayList<String>();
    if (!e.egress().allowed().allows(p, port)) {
      parts.add(
          "egress of "
              + e.source().label()
              + " is isolated by "
              + String.join(", ", e.egress().selecting())
              + " and no egress rule admits it");
    }
    if (!e.ingress().allowed().allows(p, port)) {
      parts.add(
          "ingress of "
              + e.destination().label()
              + " is isolated by "
              + String.join(", ", e.ingress().selecting())
              + " and no ingress rule admits it");
    }
    return String.join("; ", parts);
  }

  private static void direction(StringBuilder sb, Verdict v, Endpoint subject, Endpoint other) {
    sb.append(v.direction().apiName()).append(" of ").append(subject.label()).append(": ");
    if (subject instanceof Endpoint.External) {
      sb.append("external addresses are not selected by NetworkPolicy: all allowed\n");
      return;
    }
    if (!v.isolated()) {
      sb.append("not isolated (no NetworkPolicy selects it for ")
          .append(v.direction().apiName())
          .append("): all allowed\n");
      return;
    }
    sb.append("isolated by ").append(String.join(", ", v.selecting())).append('\n');
    if (v.admitting().isEmpty()) {
      sb.append("  no rule admits ").append(other.label()).append('\n');
    }
    for (var hit : v.admitting()) {
      sb.append("  ").append(hit).append('\n');
    }
  }

  private static String describe(Endpoint e) {
    return switch (e) {
      case Endpoint.Pod p -> "pod " + p.pod().key() + " (" + p.pod().workload() + ")";
      case Endpoint.External x -> "external " + x.addresses();
    };
  }
}
