package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The {@code loopback} plugin: brings {@code lo} up in the container and reports its addresses. */
public final class LoopbackPlugin implements CniPlugin {

  @Override
  public String type() {
    return "loopback";
  }

  @Override
  public List<String> supportedVersions() {
    return DEBIAN_VERSIONS;
  }

  @Override
  public ObjectNode add(CniRequest request, PluginEnvironment env) throws CniException {
    var net = env.network();
    if (!net.netnsExists(request.netns())) {
      throw CniException.internal(
          "failed to open netns \""
              + request.netns()
              + "\": failed to Statfs \""
              + request.netns()
              + "\": no such file or directory");
    }
    net.linkUp(request.netns(), request.ifName());
    var out = CniJson.object().put("cniVersion", request.cniVersion());
    out.putArray("interfaces")
        .addObject()
        .put("name", request.ifName())
        .put("mac", "00:00:00:00:00:00")
        .put("sandbox", request.netns());
    var ips = out.putArray("ips");
    ips.addObject().put("interface", 0).put("address", "127.0.0.1/8");
    ips.addObject().put("interface", 0).put("address", "::1/128");
    out.set("dns", CniJson.object());
    return out;
  }

  @Override
  public void del(CniRequest request, PluginEnvironment env) {
    // the namespace's lo goes with the namespace; DEL succeeds even when it is gone
  }

  @Override
  public void check(CniRequest request, PluginEnvironment env) throws CniException {
    if (!env.network().linkExists(request.netns(), request.ifName())) {
      throw CniException.internal("loopback interface is down");
    }
  }
}
