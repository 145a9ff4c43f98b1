package dev.podpath.cluster;

import dev.podpath.kernel.Host;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.node.cni.CniRuntime;
import dev.podpath.node.cni.EmulatedPlugins;
import dev.podpath.node.cni.HostFiles;
import dev.podpath.node.kubelet.PodSandboxes;

/**
 * One node's network as the cluster built it: the host, its underlay address, the pod CIDR it
 * serves, its CNI plugins and files, and its pod sandboxes.
 */
public record NodeNetwork(
    String name,
    Host host,
    IpAddress address,
    IpPrefix podCidr,
    HostFiles files,
    EmulatedPlugins plugins,
    CniRuntime cni,
    PodSandboxes sandboxes) {

  /**
   * The CNI configuration list every node gets: a bridge with host-local over the node's podCIDR.
   */
  public static String conflist(IpPrefix podCidr) {
    return """
        {
          "cniVersion": "1.0.0",
          "name": "podpath",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "cni0",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": "%s"}]],
                "routes": [{"dst": "%s"}]
              }
            }
          ]
        }
        """
        .formatted(
            podCidr.masked(),
            podCidr.family() == dev.podpath.net.IpFamily.IPV4 ? "0.0.0.0/0" : "::/0");
  }
}
