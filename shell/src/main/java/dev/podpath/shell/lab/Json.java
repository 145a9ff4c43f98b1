package dev.podpath.shell.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.net.trace.Fate;
import java.util.List;
import java.util.Map;

/** The JSON forms of a lab run: one object per probe and per failed expectation (one per line). */
public final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A JSON string literal. */
  public static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String quoteList(List<String> items) {
    ArrayNode a = MAPPER.createArrayNode();
    items.forEach(a::add);
    return a.toString();
  }

  /** The object of a probe, with kernel-lab's keys plus exact probabilities when exploring. */
  public static ObjectNode probe(ProbeReport p) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("file", p.file());
    o.put("line", p.line());
    o.put("probe", p.text());
    o.put("attempts", p.attempts().size());
    ObjectNode outcomes = o.putObject("outcomes");
    p.outcomeCounts().forEach((f, c) -> outcomes.put(f.word(), c));
    if (p.explore()) {
      ObjectNode probs = o.putObject("probabilities");
      p.outcomeShares().forEach((f, s) -> probs.put(f.word(), round(s)));
    }
    ArrayNode deliveries = o.putArray("deliveries");
    for (ProbeReport.Delivery d : p.deliveries()) {
      ObjectNode x = deliveries.addObject();
      x.put("to", d.to());
      x.put("addr", d.address());
      x.put("seenFrom", d.seenFrom());
      x.put("count", d.count());
      if (p.explore()) {
        x.put("probability", round(d.share()));
      }
    }
    o.put("answered", p.answeredCount());
    ArrayNode hits = o.putArray("hits");
    p.hits().forEach(hits::add);
    ArrayNode logs = o.putArray("logs");
    p.logs().forEach(logs::add);
    ObjectNode reasons = o.putObject("reasons");
    new java.util.TreeMap<>(reasonCounts(p)).forEach(reasons::put);
    o.put("explore", p.explore());
    o.put("source", "podpath");
    return o;
  }

  private static Map<String, Integer> reasonCounts(ProbeReport p) {
    var m = new java.util.TreeMap<String, Integer>();
    p.attempts().stream()
        .filter(a -> a.fate() != Fate.DELIVERED)
        .forEach(a -> m.merge(a.why(), 1, Integer::sum));
    return m;
  }

  /** The object of a failed expectation. */
  public static ObjectNode failure(
      String file, int line, String expect, String got, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("file", file);
    o.put("line", line);
    o.put("expect", expect);
    o.put("ok", false);
    o.put("got", got);
    o.put("message", message);
    return o;
  }

  static double round(double d) {
    return Math.round(d * 1e12) / 1e12;
  }
}
