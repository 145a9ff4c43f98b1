package dev.podpath.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The network sysctls of one namespace ({@code /proc/sys/net}), with Linux's defaults for a new
 * namespace, per-interface {@code net.ipv4.conf.IFACE.*} keys created from {@code default} when a
 * device appears, and the kernel's rules for combining {@code all} with a device's value.
 */
public final class Sysctls {

  /** Per-device IPv4 keys and their defaults in a new namespace. */
  static final Map<String, String> CONF_DEFAULTS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("forwarding", "0"),
              Map.entry("rp_filter", "0"),
              Map.entry("route_localnet", "0"),
              Map.entry("accept_local", "0"),
              Map.entry("arp_ignore", "0"),
              Map.entry("arp_announce", "0"),
              Map.entry("arp_filter", "0"),
              Map.entry("proxy_arp", "0"),
              Map.entry("send_redirects", "1"),
              Map.entry("accept_redirects", "1"),
              Map.entry("accept_source_route", "0"),
              Map.entry("log_martians", "0")));

  /** Per-device IPv6 keys. */
  static final Map<String, String> CONF6_DEFAULTS =
      new TreeMap<>(
          Map.of(
              "forwarding", "0",
              "disable_ipv6", "0",
              "accept_ra", "1"));

  private final TreeMap<String, String> values = new TreeMap<>();

  Sysctls() {
    values.put("net.ipv4.ip_forward", "0");
    values.put("net.ipv4.ip_local_port_range", "32768\t60999");
    values.put("net.ipv4.ip_nonlocal_bind", "0");
    values.put("net.ipv4.ip_default_ttl", "64");
    values.put("net.ipv4.icmp_echo_ignore_all", "0");
    values.put("net.ipv4.tcp_fin_timeout", "60");
    values.put("net.bridge.bridge-nf-call-iptables", "1");
    values.put("net.bridge.bridge-nf-call-ip6tables", "1");
    values.put("net.bridge.bridge-nf-call-arptables", "1");
    values.put("net.netfilter.nf_conntrack_max", "262144");
    values.put("net.netfilter.nf_conntrack_tcp_timeout_established", "432000");
    values.put("net.netfilter.nf_conntrack_tcp_timeout_syn_sent", "120");
    values.put("net.netfilter.nf_conntrack_tcp_timeout_close_wait", "60");
    values.put("net.netfilter.nf_conntrack_udp_timeout", "30");
    values.put("net.netfilter.nf_conntrack_udp_timeout_stream", "120");
    values.put("net.netfilter.nf_conntrack_icmp_timeout", "30");
    values.put("net.netfilter.nf_conntrack_tcp_be_liberal", "0");
    values.put("net.ipv4.vs.conntrack", "0");
    values.put("net.ipv4.vs.expire_nodest_conn", "0");
    values.put("net.ipv4.vs.expire_quiescent_template", "0");
    values.put("net.ipv4.vs.conn_reuse_mode", "1");
    for (String dev : List.of("all", "default")) {
      CONF_DEFAULTS.forEach((k, v) -> values.put("net.ipv4.conf." + dev + "." + k, v));
      CONF6_DEFAULTS.forEach((k, v) -> values.put("net.ipv6.conf." + dev + "." + k, v));
    }
  }

  /** The dotted key's spelling of a device name: dots become slashes ({@code flannel/1}). */
  public static String deviceKey(String device) {
    return device.replace('.', '/');
  }

  /** Normalises {@code net/ipv4/ip_forward} to {@code net.ipv4.ip_forward}. */
  public static String normalize(String key) {
    String k = key.startsWith("/proc/sys/") ? key.substring("/proc/sys/".length()) : key;
    int slash = k.indexOf('/');
    int dot = k.indexOf('.');
    if (slash >= 0 && (dot < 0 || slash < dot)) {
      // /proc paths: slashes separate, dots belong to device names
      var parts = k.split("/", -1);
      for (int i = 0; i < parts.length; i++) {
        parts[i] = parts[i].replace('.', '/');
      }
      return String.join(".", parts);
    }
    return k;
  }

  /** The value, if the key exists. */
  public Optional<String> find(String key) {
    return Optional.ofNullable(values.get(normalize(key)));
  }

  /** The value; throws {@link KernelException} (ENOENT, as {@code sysctl} says) if unknown. */
  public String get(String key) {
    return find(key).orElseThrow(() -> missing(key));
  }

  /**
   * Sets a value as {@code sysctl -w} does. Integers are checked; writing {@code ip_forward} also
   * sets {@code forwarding} on {@code all}, {@code default} and every device, as the kernel does.
   */
  public void set(String key, String value) {
    String k = normalize(key);
    if (!values.containsKey(k)) {
      throw missing(key);
    }
    String v = value.trim();
    if (k.equals("net.ipv4.ip_local_port_range")) {
      var parts = v.split("\\s+");
      if (parts.length != 2
          || !isInt(parts[0])
          || !isInt(parts[1])
          || Integer.parseInt(parts[0]) > Integer.parseInt(parts[1])) {
        throw KernelException.tool(
            Errno.EINVAL, "sysctl: setting key \"" + k + "\": Invalid argument");
      }
      v = parts[0] + "\t" + parts[1];
    } else if (!isInt(v)) {
      throw KernelException.tool(
          Errno.EINVAL, "sysctl: setting key \"" + k + "\": Invalid argument");
    }
    values.put(k, v);
    if (k.equals("net.ipv4.ip_forward") || k.equals("net.ipv4.conf.all.forwarding")) {
      String on = Integer.parseInt(v) != 0 ? "1" : "0";
      values.put("net.ipv4.ip_forward", on);
      for (var e : values.entrySet()) {
        if (e.getKey().startsWith("net.ipv4.conf.") && e.getKey().endsWith(".forwarding")) {
          e.setValue(on);
        }
      }
    }
  }

  /** Every key and value, sorted by key ({@code sysctl -a}). */
  public Map<String, String> all() {
    return java.util.Collections.unmodifiableMap(values);
  }

  void addDevice(String device) {
    String d = deviceKey(device);
    CONF_DEFAULTS
        .keySet()
        .forEach(
            k ->
                values.put(
                    "net.ipv4.conf." + d + "." + k, values.get("net.ipv4.conf.default." + k)));
    CONF6_DEFAULTS
        .keySet()
        .forEach(
            k ->
                values.put(
                    "net.ipv6.conf." + d + "." + k, values.get("net.ipv6.conf.default." + k)));
  }

  void removeDevice(String device) {
    String d = deviceKey(device);
    values
        .keySet()
        .removeIf(
            k ->
                k.startsWith("net.ipv4.conf." + d + ".")
                    || k.startsWith("net.ipv6.conf." + d + "."));
  }

  void renameDevice(String from, String to) {
    String f = deviceKey(from);
    String t = deviceKey(to);
    var moved = new TreeMap<String, String>();
    for (var it = values.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      for (String fam : List.of("net.ipv4.conf.", "net.ipv6.conf.")) {
        if (e.getKey().startsWith(fam + f + ".")) {
          moved.put(fam + t + e.getKey().substring((fam + f).length()), e.getValue());
          it.remove();
        }
      }
    }
    values.putAll(moved);
  }

  private int intValue(String key) {
    return Integer.parseInt(values.getOrDefault(key, "0"));
  }

  /** A device's {@code net.ipv4.conf} value as the kernel combines it with {@code all}: OR. */
  public boolean confOr(String device, String name) {
    return intValue("net.ipv4.conf.all." + name) != 0
        || intValue("net.ipv4.conf." + deviceKey(device) + "." + name) != 0;
  }

  /**
   * A device's value combined with {@code all} by maximum ({@code rp_filter}, {@code arp_ignore}).
   */
  public int confMax(String device, String name) {
    return Math.max(
        intValue("net.ipv4.conf.all." + name),
        intValue("net.ipv4.conf." + deviceKey(device) + "." + name));
  }

  /** A device's own value ({@code forwarding}). */
  public int conf(String device, String name) {
    return intValue("net.ipv4.conf." + deviceKey(device) + "." + name);
  }

  /** A global integer value. */
  public int intOf(String key) {
    return intValue(normalize(key));
  }

  private static boolean isInt(String s) {
    try {
      Integer.parseInt(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static KernelException missing(String key) {
    String path = "/proc/sys/" + normalize(key).replace('.', '/');
    return KernelException.tool(
        Errno.ENOENT, "sysctl: cannot stat " + path + ": No such file or directory");
  }
}
