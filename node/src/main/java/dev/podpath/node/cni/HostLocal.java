package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host-local IPAM plugin: one address from each range set, handed out round-robin after the
 * last reserved one (not lowest-free), reserved as a file {@code <dataDir>/<network>/<ip>} holding
 * {@code <containerID>\r\n<ifname>}, with {@code last_reserved_ip.<N>} per range set.
 */
public final class HostLocal implements CniPlugin {

  public static final String DEFAULT_DATA_DIR = "/var/lib/cni/networks";

  @Override
  public String type() {
    return "host-local";
  }

  @Override
  public List<String> supportedVersions() {
    return DEBIAN_VERSIONS;
  }

  @Override
  public ObjectNode add(CniRequest request, PluginEnvironment env) throws CniException {
    var ipam = ipamConfig(request);
    var files = env.files();
    String dir = dir(request, ipam);
    List<List<IpRange>> rangeSets = rangeSets(request, ipam);
    List<IpAddress> requested = requestedIps(request);
    var allocated = new ArrayList<String>();
    var ips = CniJson.MAPPER.createArrayNode();
    try {
      for (int n = 0; n < rangeSets.size(); n++) {
        var set = rangeSets.get(n);
        Optional<IpAddress> want = requested.stream().filter(a -> inSet(set, a)).findFirst();
        want.ifPresent(requested::remove);
        ObjectNode ip;
        try {
          ip = allocate(files, dir, n, set, request, want);
        } catch (CniException e) {
          throw CniException.internal("failed to allocate for range " + n + ": " + e.msg());
        }
        allocated.add(ip.path("address").asText());
        ips.add(ip);
      }
      if (!requested.isEmpty()) {
        throw CniException.internal(
            "failed to allocate all requested IPs: "
                + String.join(", ", requested.stream().map(IpAddress::toString).toList()));
      }
    } catch (CniException e) {
      release(files, dir, request.containerId(), request.ifName());
      throw e;
    }
    var result = CniJson.object().put("cniVersion", request.cniVersion());
    if (isPre100(request.cniVersion())) {
      for (JsonNode ip : ips) {
        String v = ip.path("address").asText().contains(":") ? "6" : "4";
        var copy = CniJson.object().put("version", v);
        copy.setAll((ObjectNode) ip);
        ((ObjectNode) ip).removeAll();
        ((ObjectNode) ip).setAll(copy);
      }
    }
    result.set("ips", ips);
    if (ipam.has("routes") && ipam.get("routes").size() > 0) {
      result.set("routes", ipam.get("routes").deepCopy());
    }
    result.set("dns", CniJson.object());
    return result;
  }

  @Override
  public void del(CniRequest request, PluginEnvironment env) throws CniException {
    var ipam = ipamConfig(request);
    release(env.files(), dir(request, ipam), request.containerId(), request.ifName());
  }

  @Override
  public void check(CniRequest request, PluginEnvironment env) throws CniException {
    var ipam = ipamConfig(request);
    String dir = dir(request, ipam);
    for (String name : env.files().list(dir)) {
      if (owner(
          env.files().read(dir + "/" + name).orElse(""), request.containerId(), request.ifName())) {
        return;
      }
    }
    throw CniException.internal(
        "host-local: Failed to find address added by container " + request.containerId());
  }

  static boolean isPre100(String version) {
    return CniDispatcher.compareVersions(version, "1.0.0") < 0;
  }

  private static ObjectNode ipamConfig(CniRequest request) throws CniException {
    JsonNode ipam = request.config().get("ipam");
    if (ipam == null || !ipam.isObject()) {
      throw CniException.internal("IPAM config missing 'ipam' key");
    }
    return (ObjectNode) ipam;
  }

  private static String dir(CniRequest request, ObjectNode ipam) {
    String root = ipam.path("dataDir").asText("");
    return (root.isEmpty() ? DEFAULT_DATA_DIR : root) + "/" + request.networkName();
  }

  private static List<List<IpRange>> rangeSets(CniRequest request, ObjectNode ipam)
      throws CniException {
    JsonNode ranges = request.config().path("runtimeConfig").path("ipRanges");
    if (!ranges.isArray() || ranges.isEmpty()) {
      ranges = ipam.path("ranges");
    }
    var out = new ArrayList<List<IpRange>>();
    if (ranges.isArray() && !ranges.isEmpty()) {
      for (JsonNode set : ranges) {
        var rs = new ArrayList<IpRange>();
        for (JsonNode r : set) {
          rs.add(parseRange(r));
        }
        if (rs.isEmpty()) {
          throw CniException.internal("invalid range set 0: no IP ranges");
        }
        out.add(rs);
      }
    } else if (ipam.has("subnet")) {
      out.add(List.of(parseRange(ipam)));
    } else {
      throw CniException.internal("no IP ranges specified");
    }
    return out;
  }

  private static IpRange parseRange(JsonNode r) throws CniException {
    return IpRange.parse(
        r.path("subnet").asText(""),
        r.path("rangeStart").asText(""),
        r.path("rangeEnd").asText(""),
        r.path("gateway").asText(""));
  }

  private static List<IpAddress> requestedIps(CniRequest request) throws CniException {
    var out = new ArrayList<IpAddress>();
    var texts = new ArrayList<String>();
    if (request.args().containsKey("IP")) {
      texts.add(request.args().get("IP"));
    }
    request.config().path("args").path("cni").path("ips").forEach(n -> texts.add(n.asText()));
    request.config().path("runtimeConfig").path("ips").forEach(n -> texts.add(n.asText()));
    for (String t : texts) {
      String bare = t.contains("/") ? t.substring(0, t.indexOf('/')) : t;
      try {
        out.add(IpAddress.parse(bare));
      } catch (IllegalArgumentException e) {
        throw CniException.internal("invalid IP address: " + t);
      }
    }
    return out;
  }

  private static boolean inSet(List<IpRange> set, IpAddress a) {
    return set.stream().anyMatch(r -> r.contains(a));
  }

  private static String setText(List<IpRange> set) {
    return String.join(",", set.stream().map(IpRange::toString).toList());
  }

  private static ObjectNode allocate(
      HostFiles files,
      String dir,
      int setIndex,
      List<IpRange> set,
      CniRequest request,
      Optional<IpAddress> want)
      throws CniException {
    String owner = request.containerId() + "\r\n" + request.ifName();
    IpAddress chosen = null;
    IpRange range = null;
    if (want.isPresent()) {
      IpAddress a = want.get();
      range = set.stream().filter(r -> r.contains(a)).findFirst().orElseThrow();
      if (a.equals(range.gateway())) {
        throw CniException.internal("requested ip " + a + " is subnet's gateway");
      }
      if (!files.createExclusive(dir + "/" + a, owner)) {
        throw CniException.internal(
            "requested IP address " + a + " is not available in range set " + setText(set));
      }
      chosen = a;
    } else {
      for (String name : files.list(dir)) {
        if (!name.startsWith("last_reserved_ip")
            && !name.equals("lock")
            && owner(
                files.read(dir + "/" + name).orElse(""), request.containerId(), request.ifName())
            && IpAddress.isValid(name)
            && inSet(set, IpAddress.parse(name))) {
          throw CniException.internal(
              name
                  + " has been allocated to "
                  + request.containerId()
                  + ", duplicate allocation is not allowed");
        }
      }
      var iter = new RangeIterator(set, lastReserved(files, dir, setIndex, set));
      for (IpAddress next = iter.next(); next != null; next = iter.next()) {
        if (files.createExclusive(dir + "/" + next, owner)) {
          chosen = next;
          range = iter.currentRange();
          break;
        }
      }
      if (chosen == null) {
        throw CniException.internal("no IP addresses available in range set: " + setText(set));
      }
    }
    files.write(dir + "/last_reserved_ip." + setIndex, chosen.toString());
    files.createExclusive(dir + "/lock", "");
    return CniJson.object()
        .put("address", new IpPrefix(chosen, range.subnet().length()).toString())
        .put("gateway", range.gateway().toString());
  }

  private static Optional<IpAddress> lastReserved(
      HostFiles files, String dir, int setIndex, List<IpRange> set) {
    return files
        .read(dir + "/last_reserved_ip." + setIndex)
        .filter(IpAddress::isValid)
        .map(IpAddress::parse)
        .filter(a -> inSet(set, a));
  }

  private static boolean owner(String content, String id, String ifName) {
    return content.equals(id + "\r\n" + ifName) || content.strip().equals(id);
  }

  private static void release(HostFiles files, String dir, String id, String ifName) {
    for (String name : files.list(dir)) {
      if (name.equals("lock") || name.startsWith("last_reserved_ip")) {
        continue;
      }
      if (owner(files.read(dir + "/" + name).orElse(""), id, ifName)) {
        files.delete(dir + "/" + name);
      }
    }
  }

  /** host-local's round-robin iterator over a range set, skipping gateways. */
  private static final class RangeIterator {
    private final List<IpRange> set;
    private int index;
    private IpAddress cur;
    private IpAddress startIp;

    RangeIterator(List<IpRange> set, Optional<IpAddress> lastReserved) {
      this.set = set;
      if (lastReserved.isPresent()) {
        for (int i = 0; i < set.size(); i++) {
          if (set.get(i).contains(lastReserved.get())) {
            index = i;
            cur = lastReserved.get();
            break;
          }
        }
      } else {
        startIp = set.get(0).start();
      }
    }

    IpRange currentRange() {
      return set.get(index);
    }

    IpAddress next() {
      IpRange r = set.get(index);
      if (cur == null) {
        cur = r.start();
        startIp = cur;
        return cur.equals(r.gateway()) ? next() : cur;
      }
      if (cur.equals(r.end())) {
        index = (index + 1) % set.size();
        r = set.get(index);
        cur = r.start();
      } else {
        cur = cur.plus(1);
      }
      if (startIp == null) {
        startIp = cur;
      } else if (cur.equals(startIp)) {
        return null;
      }
      return cur.equals(r.gateway()) ? next() : cur;
    }
  }
}
