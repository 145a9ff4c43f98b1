package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code bridge} plugin: a Linux bridge on the host (default {@code cni0}), a veth pair per
 * attachment with the host end enslaved, addresses and routes from the delegated IPAM plugin in the
 * container, the gateway address on the bridge and forwarding on with {@code isGateway}, and
 * masquerading of traffic leaving the pod network with {@code ipMasq}. DEL releases the IPAM
 * reservation, deletes the veth and the masquerade rules, and keeps the bridge.
 */
public final class BridgePlugin implements CniPlugin {

  @Override
  public String type() {
    return "bridge";
  }

  @Override
  public List<String> supportedVersions() {
    return DEBIAN_VERSIONS;
  }

  private record Conf(
      String bridge, boolean isGateway, boolean ipMasq, int mtu, boolean hairpin, String ipamType) {
    static Conf of(ObjectNode c) throws CniException {
      String ipam = c.path("ipam").path("type").asText("");
      if (ipam.isEmpty()) {
        throw CniException.internal("IPAM config missing 'type' key");
      }
      return new Conf(
          c.path("bridge").asText("cni0"),
          c.path("isGateway").asBoolean(false) || c.path("isDefaultGateway").asBoolean(false),
          c.path("ipMasq").asBoolean(false),
          c.path("mtu").asInt(1500),
          c.path("hairpinMode").asBoolean(false),
          ipam);
    }
  }

  @Override
  public ObjectNode add(CniRequest request, PluginEnvironment env) throws CniException {
    Conf conf = Conf.of(request.config());
    SandboxNetwork net = env.network();
    if (!net.netnsExists(request.netns())) {
      throw CniException.internal(
          "failed to open netns \""
              + request.netns()
              + "\": failed to Statfs \""
              + request.netns()
              + "\": no such file or directory");
    }
    String bridgeMac = net.ensureBridge(conf.bridge(), conf.mtu(), conf.hairpin());
    if (net.linkExists(request.netns(), request.ifName())) {
      throw CniException.internal(
          "container veth name provided (" + request.ifName() + ") already exists");
    }
    String hostIf = ChainNames.hostVeth(request.containerId(), request.ifName());
    String[] macs =
        net.createVeth(
            request.netns(), request.ifName(), hostIf, conf.bridge(), conf.mtu(), conf.hairpin());

    ExecResult ipamOut = env.delegate(conf.ipamType(), request);
    if (!ipamOut.ok()) {
      env.delegate(conf.ipamType(), withCommand(request, CniCommand.DEL));
      net.deleteLink(request.netns(), request.ifName());
      throw fromJson(ipamOut);
    }
    ObjectNode ipam = CniJson.parseConfig(ipamOut.stdout());
    var ips = new ArrayList<IpPrefix>();
    var gateways = new ArrayList<IpAddress>();
    for (JsonNode ip : ipam.path("ips")) {
      ips.add(IpPrefix.parse(ip.path("address").asText()));
      if (ip.hasNonNull("gateway")) {
        gateways.add(IpAddress.parse(ip.path("gateway").asText()));
      }
    }
    configureContainer(net, request, ips, gateways, ipam.path("routes"));
    if (conf.isGateway()) {
      for (IpPrefix ip : ips) {
        Optional<IpAddress> gw = gatewayFor(gateways, ip.family());
        if (gw.isPresent()
            && !net.hasAddress("", conf.bridge(), new IpPrefix(gw.get(), ip.length()))) {
          net.addAddress("", conf.bridge(), new IpPrefix(gw.get(), ip.length()));
        }
        net.sysctl(
            "",
            ip.family() == IpFamily.IPV4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding",
            "1");
      }
    }
    if (conf.ipMasq()) {
      net.iptablesRestore(masqueradeRules(request, ips, true), true);
    }
    return result(request, conf, bridgeMac, hostIf, macs, ipam);
  }

  private static Optional<IpAddress> gatewayFor(List<IpAddress> gateways, IpFamily family) {
    return gateways.stream().filter(g -> g.family() == family).findFirst();
  }

  private static void configureContainer(
      SandboxNetwork net,
      CniRequest request,
      List<IpPrefix> ips,
      List<IpAddress> gateways,
      JsonNode routes)
      throws CniException {
    for (IpPrefix ip : ips) {
      net.addAddress(request.netns(), request.ifName(), ip);
    }
    net.linkUp(request.netns(), request.ifName());
    for (JsonNode r : routes) {
      IpPrefix dst = IpPrefix.parse(r.path("dst").asText());
      Optional<IpAddress> gw =
          r.hasNonNull("gw")
              ? Optional.of(IpAddress.parse(r.path("gw").asText()))
              : gatewayFor(gateways, dst.family());
      net.addRoute(request.netns(), dst, gw, request.ifName());
    }
  }

  private static ObjectNode result(
      CniRequest request,
      Conf conf,
      String bridgeMac,
      String hostIf,
      String[] macs,
      ObjectNode ipam) {
    var out = CniJson.object().put("cniVersion", request.cniVersion());
    var ifs = out.putArray("interfaces");
    ifs.addObject().put("name", conf.bridge()).put("mac", bridgeMac);
    ifs.addObject().put("name", hostIf).put("mac", macs[0]);
    ifs.addObject()
        .put("name", request.ifName())
        .put("mac", macs[1])
        .put("sandbox", request.netns());
    var ips = out.putArray("ips");
    boolean pre100 = HostLocal.isPre100(request.cniVersion());
    for (JsonNode ip : ipam.path("ips")) {
      var o = ips.addObject();
      if (pre100) {
        o.put("version", ip.path("address").asText().contains(":") ? "6" : "4");
      }
      o.put("interface", 2).put("address", ip.path("address").asText());
      if (ip.hasNonNull("gateway")) {
        o.put("gateway", ip.path("gateway").asText());
      }
    }
    if (ipam.path("routes").size() > 0) {
      out.set("routes", ipam.path("routes").deepCopy());
    }
    JsonNode dns = request.config().path("dns");
    out.set("dns", dns.isObject() ? dns.deepCopy() : CniJson.object());
    return out;
  }

  /** The ipMasq rules, as {@code iptables-restore --noflush} input (adding or removing them). */
  static String masqueradeRules(CniRequest request, List<IpPrefix> ips, boolean add) {
    String chain = ChainNames.chain(request.networkName(), request.containerId());
    String comment =
        "\""
            + ChainNames.comment(request.networkName(), request.containerId()).replace("\"", "\\\"")
            + "\"";
    var sb = new StringBuilder("*nat\n");
    if (add) {
      sb.append(':').append(chain).append(" - [0:0]\n");
    }
    for (IpPrefix ip : ips) {
      if (ip.family() != IpFamily.IPV4) {
        continue;
      }
      String op = add ? "-A" : "-D";
      sb.append(op)
          .append(" POSTROUTING -s ")
          .append(ip.address())
          .append("/32 -m comment --comment ")
          .append(comment)
          .append(" -j ")
          .append(chain)
          .append('\n');
      if (add) {
        sb.append("-A ")
            .append(chain)
            .append(" -d ")
            .append(ip.masked())
            .append(" -m comment --comment ")
            .append(comment)
            .append(" -j ACCEPT\n");
        sb.append("-A ")
            .append(chain)
            .append(" ! -d 224.0.0.0/4 -m comment --comment ")
            .append(comment)
            .append(" -j MASQUERADE\n");
      }
    }
    if (!add) {
      sb.append("-F ").append(chain).append('\n').append("-X ").append(chain).append('\n');
    }
    return sb.append("COMMIT\n").toString();
  }

  @Override
  public void del(CniRequest request, PluginEnvironment env) throws CniException {
    Conf conf = Conf.of(request.config());
    ExecResult ipamOut = env.delegate(conf.ipamType(), request);
    if (!ipamOut.ok()) {
      throw fromJson(ipamOut);
    }
    SandboxNetwork net = env.network();
    if (request.netns().isEmpty() || !net.netnsExists(request.netns())) {
      return;
    }
    var ips = new ArrayList<IpPrefix>();
    for (JsonNode ip : request.config().path("prevResult").path("ips")) {
      ips.add(IpPrefix.parse(ip.path("address").asText()));
    }
    net.deleteLink(request.netns(), request.ifName());
    if (conf.ipMasq() && !ips.isEmpty()) {
      try {
        net.iptablesRestore(masqueradeRules(request, ips, false), true);
      } catch (CniException ignored) {
        // teardown is best effort, as in the plugin
      }
    }
  }

  @Override
  public void check(CniRequest request, PluginEnvironment env) throws CniException {
    Conf conf = Conf.of(request.config());
    if (!request.config().has("prevResult")) {
      throw CniException.internal("Required prevResult missing");
    }
    ExecResult ipamOut = env.delegate(conf.ipamType(), request);
    if (!ipamOut.ok()) {
      throw fromJson(ipamOut);
    }
    SandboxNetwork net = env.network();
    if (!net.linkExists("", conf.bridge())) {
      throw CniException.internal("failed to find bridge " + conf.bridge());
    }
    if (!net.linkExists(request.netns(), request.ifName())) {
      throw CniException.internal(
          "Error: Container interface " + request.ifName() + " not found in prevResult");
    }
  }

  private static CniRequest withCommand(CniRequest r, CniCommand c) {
    return new CniRequest(
        c, r.containerId(), r.netns(), r.ifName(), r.args(), r.path(), r.config());
  }

  private static CniException fromJson(ExecResult r) {
    try {
      ObjectNode e = CniJson.parseConfig(r.stdout());
      return new CniException(
          e.path("code").asInt(CniException.INTERNAL),
          e.path("msg").asText(),
          e.path("details").asText(""));
    } catch (CniException bad) {
      return CniException.internal(r.stdout().strip());
    }
  }
}
