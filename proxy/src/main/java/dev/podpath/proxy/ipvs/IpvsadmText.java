package dev.podpath.proxy.ipvs;

import java.util.List;
import java.util.Map;

/**
 * {@code ipvsadm} text of IPVS state: {@code -Sn} (the rules as {@code ipvsadm -R} reads them) and
 * {@code -Ln} (the table people read). Services are listed sorted by protocol, address and port.
 */
public final class IpvsadmText {

  private IpvsadmText() {}

  /** {@code ipvsadm -Sn}. */
  public static String save(Map<VirtualServer, List<RealServer>> services) {
    var sb = new StringBuilder();
    services.forEach(
        (vs, reals) -> {
          String flag = flag(vs);
          sb.append("-A ")
              .append(flag)
              .append(' ')
              .append(vs.endpoint())
              .append(" -s ")
              .append(vs.scheduler());
          if (vs.persistenceSeconds() > 0) {
            sb.append(" -p ").append(vs.persistenceSeconds());
          }
          sb.append('\n');
          for (RealServer r : reals) {
            sb.append("-a ")
                .append(flag)
                .append(' ')
                .append(vs.endpoint())
                .append(" -r ")
                .append(r.endpoint())
                .append(" -m -w ")
                .append(r.weight())
                .append('\n');
          }
        });
    return sb.toString();
  }

  /** {@code ipvsadm -Ln} (connection counters are zero: podpath counts no IPVS connections). */
  public static String list(Map<VirtualServer, List<RealServer>> services) {
    var sb = new StringBuilder("IP Virtual Server version 1.2.1 (size=4096)\n");
    sb.append("Prot LocalAddress:Port Scheduler Flags\n");
    sb.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
    services.forEach(
        (vs, reals) -> {
          sb.append(
              String.format("%-4s %s %s", vs.protocol().name(), vs.endpoint(), vs.scheduler()));
          if (vs.persistenceSeconds() > 0) {
            sb.append(" persistent ").append(vs.persistenceSeconds());
          }
          sb.append('\n');
          for (RealServer r : reals) {
            sb.append(
                String.format(
                    "  -> %-28s %-7s %-6d %-10d %-10d\n", r.endpoint(), "Masq", r.weight(), 0, 0));
          }
        });
    return sb.toString();
  }

  private static String flag(VirtualServer vs) {
    return switch (vs.protocol()) {
      case TCP -> "-t";
      case UDP -> "-u";
      default -> "--sctp-service";
    };
  }
}
