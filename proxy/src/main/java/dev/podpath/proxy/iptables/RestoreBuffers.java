package dev.podpath.proxy.iptables;

/**
 * The four buffers one sync writes (filter chains and rules, nat chains and rules), joined into the
 * {@code iptables-restore} input: {@code *filter}, its chain lines, its rules, {@code COMMIT}, then
 * the same for {@code *nat}.
 */
final class RestoreBuffers {

  final Lines filterChains = new Lines();
  final Lines filterRules = new Lines();
  final Lines natChains = new Lines();
  final Lines natRules = new Lines();

  /** Where chains of unchanged services go during a partial sync: counted, never written. */
  final Lines skippedNatChains = new Lines();

  final Lines skippedNatRules = new Lines();

  static String chainLine(String chain) {
    return ":" + chain + " - [0:0]";
  }

  String restoreText() {
    var sb = new StringBuilder();
    sb.append("*filter\n");
    filterChains.appendTo(sb);
    filterRules.appendTo(sb);
    sb.append("COMMIT\n*nat\n");
    natChains.appendTo(sb);
    natRules.appendTo(sb);
    sb.append("COMMIT\n");
    return sb.toString();
  }
}
