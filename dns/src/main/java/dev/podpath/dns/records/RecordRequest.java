package dev.podpath.dns.records;

import java.util.List;

/**
 * A query name inside a cluster zone taken apart as CoreDNS does, right to left: {@code svc|pod},
 * namespace, service (or dashed pod IP), then one endpoint label or two {@code _port._proto}
 * labels. All fields are lower case; "" when absent.
 *
 * @param invalid the name cannot exist (bad type label, or too many labels): NXDOMAIN
 */
public record RecordRequest(
    String port,
    String protocol,
    String endpoint,
    String service,
    String namespace,
    String podOrSvc,
    boolean invalid) {

  public static final String SVC = "svc";
  public static final String POD = "pod";

  /** Parses {@code name} (lower case, fully qualified) relative to {@code zone} (lower case). */
  public static RecordRequest parse(String name, String zone) {
    String base = Names.trimZone(name, zone);
    RecordRequest empty = new RecordRequest("", "", "", "", "", "", false);
    if (base.isEmpty() || base.equals(SVC) || base.equals(POD)) {
      return empty;
    }
    List<String> segs = Names.labels(base);
    int last = segs.size() - 1;
    String podOrSvc = segs.get(last);
    if (!podOrSvc.equals(POD) && !podOrSvc.equals(SVC)) {
      return new RecordRequest("", "", "", "", "", podOrSvc, true);
    }
    String namespace = --last >= 0 ? segs.get(last) : "";
    String service = --last >= 0 ? segs.get(last) : "";
    last--;
    return switch (last) {
      case -1, -2, -3 -> new RecordRequest("", "", "", service, namespace, podOrSvc, false);
      case 0 -> new RecordRequest("", "", segs.get(0), service, namespace, podOrSvc, false);
      case 1 ->
          new RecordRequest(
              stripUnderscore(segs.get(0)),
              stripUnderscore(segs.get(1)),
              "",
              service,
              namespace,
              podOrSvc,
              false);
      default -> new RecordRequest("", "", "", service, namespace, podOrSvc, true);
    };
  }

  private static String stripUnderscore(String s) {
    return s.startsWith("_") ? s.substring(1) : s;
  }
}
