package dev.podpath.kernel.route;

import dev.podpath.kernel.path.AddressType;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.Locale;
import java.util.Optional;

/**
 * One route ({@code struct fib_alias} with its next hop), as {@code ip route show table all} prints
 * it.
 *
 * @param table the table id: 255 local, 254 main, 253 default, or a number
 * @param type unicast, local, broadcast, blackhole, unreachable, prohibit, throw
 * @param destination the destination prefix, masked
 * @param via the gateway, if any
 * @param device the output device (absent only for blackhole-like routes)
 * @param src the preferred source address
 * @param metric the priority; lower wins among routes to the same prefix
 */
public record Route(
    int table,
    AddressType type,
    IpPrefix destination,
    Optional<IpAddress> via,
    Optional<String> device,
    Optional<IpAddress> src,
    int metric,
    Scope scope,
    RouteProtocol protocol) {

  public static final int LOCAL_TABLE = 255;
  public static final int MAIN_TABLE = 254;
  public static final int DEFAULT_TABLE = 253;

  public Route {
    if (!destination.equals(destination.masked())) {
      throw new IllegalArgumentException(
          "route: destination " + destination + " has host bits set");
    }
    if (table < 1) {
      throw new IllegalArgumentException("route: table must be positive, got " + table);
    }
  }

  public Route withDevice(String newDevice) {
    return new Route(
        table, type, destination, via, Optional.of(newDevice), src, metric, scope, protocol);
  }

  /** Whether this route is the default route ({@code 0.0.0.0/0} or {@code ::/0}). */
  public boolean isDefault() {
    return destination.length() == 0;
  }

  /** The table's name as {@code ip route} prints it. */
  public static String tableName(int table) {
    return switch (table) {
      case LOCAL_TABLE -> "local";
      case MAIN_TABLE -> "main";
      case DEFAULT_TABLE -> "default";
      default -> Integer.toString(table);
    };
  }

  /**
   * The route as {@code ip route show table all} prints it (without {@code linkdown}, which depends
   * on the device), e.g. {@code local 10.0.0.1 dev eth0 table local proto kernel scope host src
   * 10.0.0.1}.
   */
  @Override
  public String toString() {
    var sb = new StringBuilder();
    if (type != AddressType.UNICAST) {
      sb.append(type.name().toLowerCase(Locale.ROOT)).append(' ');
    }
    sb.append(
        isDefault()
            ? "default"
            : destination.isHost() ? destination.address().toString() : destination.toString());
    via.ifPresent(v -> sb.append(" via ").append(v));
    device.ifPresent(d -> sb.append(" dev ").append(d));
    if (table != MAIN_TABLE) {
      sb.append(" table ").append(tableName(table));
    }
    if (protocol != RouteProtocol.BOOT) {
      sb.append(" proto ").append(protocol.word());
    }
    if (scope != Scope.GLOBAL) {
      sb.append(" scope ").append(scope.word());
    }
    src.ifPresent(s -> sb.append(" src ").append(s));
    if (metric != 0) {
      sb.append(" metric ").append(metric);
    }
    return sb.toString();
  }
}
