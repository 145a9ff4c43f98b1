package dev.podpath.policy.enforce;

import java.util.ArrayList;
import java.util.List;

/** Builds one rule's arguments in the order {@code iptables-save} prints them. */
final class RuleText {
  private String source = "";
  private String destination = "";
  private String protocol = "";
  private final List<String> matches = new ArrayList<>();
  private String target = "";

  RuleText source(String cidr) {
    this.source = cidr;
    return this;
  }

  RuleText destination(String cidr) {
    this.destination = cidr;
    return this;
  }

  /** {@code -p PROTO} and, when ports are given, {@code -m PROTO --dport PORTS}. */
  RuleText protocol(String proto, String ports) {
    this.protocol = proto;
    if (!ports.isEmpty()) {
      matches.add("-m " + proto + " --dport " + ports);
    }
    return this;
  }

  RuleText comment(String text) {
    matches.add(0, "-m comment --comment " + quote(text));
    return this;
  }

  RuleText match(String text) {
    matches.add(text);
    return this;
  }

  RuleText jump(String text) {
    this.target = text;
    return this;
  }

  List<String> args() {
    var out = new ArrayList<String>();
    if (!source.isEmpty()) {
      out.add("-s " + source);
    }
    if (!destination.isEmpty()) {
      out.add("-d " + destination);
    }
    if (!protocol.isEmpty()) {
      out.add("-p " + protocol);
    }
    out.addAll(matches);
    out.add("-j " + target);
    return out;
  }

  String line(String chain) {
    return "-A " + chain + " " + String.join(" ", args());
  }

  /** Quotes as xtables_save_string does: bare only for letters, digits, '_' and '-'. */
  static String quote(String s) {
    if (!s.isEmpty()
        && s.chars()
            .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-')) {
      return s;
    }
    var sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c == '\'') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
