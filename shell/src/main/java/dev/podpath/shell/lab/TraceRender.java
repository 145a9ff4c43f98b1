package dev.podpath.shell.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.net.trace.Hop;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the traces of a probe as a tree, host → namespace → hook → table → chain → rule, with
 * routing, NAT and conntrack steps where they happened and the outcome at the end; and the same as
 * JSON data. Attempts that took the same path are shown once, with their count or probability.
 */
public final class TraceRender {

  /** At most this many distinct paths are drawn. */
  static final int MAX_PATHS = 8;

  private TraceRender() {}

  /** A distinct path: one attempt standing for all that walked the same way. */
  record Path(Attempt example, int count, double share) {}

  static List<Path> paths(ProbeReport p) {
    Map<Trace, double[]> groups = new LinkedHashMap<>();
    Map<Trace, Attempt> examples = new LinkedHashMap<>();
    for (Attempt a : p.attempts()) {
      double[] acc = groups.computeIfAbsent(a.trace(), k -> new double[2]);
      acc[0]++;
      acc[1] += a.weight();
      examples.putIfAbsent(a.trace(), a);
    }
    var out = new ArrayList<Path>();
    groups.forEach(
        (t, acc) ->
            out.add(new Path(Objects.requireNonNull(examples.get(t)), (int) acc[0], acc[1])));
    return out;
  }

  /** The text tree. */
  public static String text(ProbeReport p) {
    var sb = new StringBuilder();
    sb.append("trace of ")
        .append(p.file())
        .append(':')
        .append(p.line())
        .append(" (")
        .append(p.text())
        .append("): ")
        .append(p.summary())
        .append('\n');
    List<Path> paths = paths(p);
    int n = 0;
    for (Path path : paths) {
      if (++n > MAX_PATHS) {
        sb.append("  … ").append(paths.size() - MAX_PATHS).append(" more paths\n");
        break;
      }
      String weight =
          p.explore()
              ? "probability " + ProbeReport.percent(path.share())
              : path.count() + " of " + p.attempts().size() + " attempts";
      sb.append("path ")
          .append(n)
          .append(" (")
          .append(weight)
          .append("): ")
          .append(outcome(path.example()))
          .append('\n');
      renderTrace(sb, path.example().trace());
      path.example()
          .reply()
          .ifPresent(
              reply -> {
                sb.append("  reply:\n");
                renderTrace(sb, reply);
              });
    }
    return sb.toString();
  }

  static String outcome(Attempt a) {
    return switch (a.fate()) {
      case DELIVERED ->
          "delivered to "
              + a.to().orElse("?")
              + " "
              + a.address().orElse("")
              + a.seenFrom().map(s -> " seen-from " + s).orElse("")
              + (a.answered() ? ", answered" : ", unanswered");
      default -> a.fate().word() + (a.why().isEmpty() ? "" : " (" + a.why() + ")");
    };
  }

  private static void renderTrace(StringBuilder sb, Trace t) {
    String host = null;
    for (Hop hop : t.hops()) {
      if (!hop.host().equals(host)) {
        host = hop.host();
        line(sb, 1, "host " + host);
      }
      line(
          sb,
          2,
          hop.host().equals(hop.namespace())
              ? "namespace " + hop.namespace() + " (root)"
              : "namespace " + hop.namespace());
      String hook = null;
      String table = null;
      String chain = null;
      for (Step s : hop.steps()) {
        switch (s) {
          case Step.HookEntered h -> {
            hook = h.hook();
            table = null;
            chain = null;
            line(sb, 3, "hook " + h.hook());
          }
          case Step.Rule r -> {
            if (hook == null) {
              hook = "?";
            }
            if (!r.table().equals(table)) {
              table = r.table();
              chain = null;
              line(sb, 4, "table " + table);
            }
            if (!r.chain().equals(chain)) {
              chain = r.chain();
              line(sb, 5, "chain " + chain);
            }
            line(
                sb,
                6,
                r.number() == 0
                    ? "policy " + r.verdict()
                    : "rule " + r.number() + ": " + r.ruleText() + "  → " + r.verdict());
          }
          case Step.Route r -> {
            hook = null;
            line(
                sb,
                3,
                "route "
                    + r.route()
                    + " (table "
                    + r.table()
                    + "): dev "
                    + r.device()
                    + r.via().map(v -> " via " + v).orElse("")
                    + r.src().map(v -> " src " + v).orElse(""));
          }
          case Step.Receive r -> {
            hook = null;
            line(sb, 3, "in " + r.link() + ": " + r.packet());
          }
          case Step.Transmit r -> {
            hook = null;
            line(sb, 3, "out " + r.link() + ": " + r.packet());
          }
          default -> line(sb, hook == null ? 3 : 4, describe(s));
        }
      }
    }
    line(sb, 1, "outcome: " + t.fate().word());
  }

  static String describe(Step s) {
    return switch (s) {
      case Step.Receive r -> "in " + r.link() + ": " + r.packet();
      case Step.Transmit r -> "out " + r.link() + ": " + r.packet();
      case Step.HookEntered h -> "hook " + h.hook();
      case Step.Rule r -> "rule " + r.number() + ": " + r.ruleText() + " → " + r.verdict();
      case Step.Route r -> "route " + r.route() + " dev " + r.device();
      case Step.NoRoute r -> "no route to " + r.destination();
      case Step.Neighbour nb ->
          "neighbour "
              + nb.address()
              + " dev "
              + nb.device()
              + ": "
              + (nb.resolved() ? "resolved" : "no answer");
      case Step.Bridge b ->
          "bridge "
              + b.bridge()
              + ": in "
              + b.inPort()
              + ", out "
              + b.outPorts()
              + " ("
              + b.reason()
              + ")";
      case Step.Conntrack c ->
          "conntrack " + c.state() + (c.entry().isEmpty() ? "" : ": " + c.entry());
      case Step.Nat nat -> nat.kind() + " " + nat.before() + " → " + nat.after();
      case Step.Branch b ->
          "random: "
              + b.what()
              + " → branch "
              + (b.choice() + 1)
              + " (p="
              + ProbeReport.percent(b.probability())
              + ")";
      case Step.Ipvs v ->
          "ipvs " + v.service() + " → " + v.realServer() + " (" + v.scheduler() + ")";
      case Step.Log l ->
          "LOG " + Json.quote(l.prefix()) + (l.line().isEmpty() ? "" : ": " + l.line());
      case Step.Deliver d -> "delivered to socket " + d.socket();
      case Step.Drop d -> "dropped: " + d.reason();
      case Step.Note nt -> nt.text();
    };
  }

  private static void line(StringBuilder sb, int depth, String text) {
    sb.append("  ".repeat(depth)).append(text).append('\n');
  }

  /** The same as data: the probe, and each distinct path with its hops and typed steps. */
  public static ObjectNode json(ProbeReport p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("file", p.file());
    o.put("line", p.line());
    o.put("probe", p.text());
    o.put("trace", true);
    ArrayNode paths = o.putArray("paths");
    for (Path path : paths(p)) {
      ObjectNode x = paths.addObject();
      x.put("count", path.count());
      x.put("probability", Json.round(path.share()));
      Attempt a = path.example();
      x.put("outcome", a.fate().word());
      a.to().ifPresent(v -> x.put("to", v));
      a.address().ifPresent(v -> x.put("addr", v));
      a.seenFrom().ifPresent(v -> x.put("seenFrom", v));
      x.put("answered", a.answered());
      if (!a.why().isEmpty()) {
        x.put("why", a.why());
      }
      hops(x.putArray("hops"), a.trace());
      a.reply().ifPresent(r -> hops(x.putArray("replyHops"), r));
    }
    return o;
  }

  private static void hops(ArrayNode hops, Trace t) {
    for (Hop hop : t.hops()) {
      ObjectNode h = hops.addObject();
      h.put("host", hop.host());
      h.put("namespace", hop.namespace());
      ArrayNode steps = h.putArray("steps");
      hop.steps().forEach(s -> steps.add(step(s)));
    }
  }

  static ObjectNode step(Step s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (s) {
      case Step.Receive r ->
          o.put("type", "receive").put("link", r.link()).put("packet", r.packet());
      case Step.Transmit r ->
          o.put("type", "transmit").put("link", r.link()).put("packet", r.packet());
      case Step.HookEntered h -> o.put("type", "hook").put("hook", h.hook());
      case Step.Rule r ->
          o.put("type", "rule")
              .put("table", r.table())
              .put("chain", r.chain())
              .put("number", r.number())
              .put("rule", r.ruleText())
              .put("verdict", r.verdict());
      case Step.Route r -> {
        o.put("type", "route")
            .put("table", r.table())
            .put("route", r.route())
            .put("device", r.device());
        r.via().ifPresent(v -> o.put("via", v));
        r.src().ifPresent(v -> o.put("src", v));
      }
      case Step.NoRoute r -> o.put("type", "no-route").put("destination", r.destination());
      case Step.Neighbour nb ->
          o.put("type", "neighbour")
              .put("address", nb.address())
              .put("device", nb.device())
              .put("resolved", nb.resolved());
      case Step.Bridge b ->
          o.put("type", "bridge")
              .put("bridge", b.bridge())
              .put("in", b.inPort())
              .put("out", b.outPorts())
              .put("reason", b.reason());
      case Step.Conntrack c ->
          o.put("type", "conntrack").put("state", c.state()).put("entry", c.entry());
      case Step.Nat nat ->
          o.put("type", "nat")
              .put("kind", nat.kind())
              .put("before", nat.before())
              .put("after", nat.after());
      case Step.Branch b ->
          o.put("type", "branch")
              .put("what", b.what())
              .put("choice", b.choice())
              .put("probability", b.probability());
      case Step.Ipvs v ->
          o.put("type", "ipvs")
              .put("service", v.service())
              .put("realServer", v.realServer())
              .put("scheduler", v.scheduler());
      case Step.Log l -> o.put("type", "log").put("prefix", l.prefix()).put("line", l.line());
      case Step.Deliver d -> o.put("type", "deliver").put("socket", d.socket());
      case Step.Drop d -> o.put("type", "drop").put("reason", d.reason());
      case Step.Note nt -> o.put("type", "note").put("text", nt.text());
    }
    return o;
  }
}
