package dev.podpath.shell.ip;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.link.Link;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;

/** What an {@code ip} sub-command works on: the namespace, the options, the output. */
record IpContext(NetNamespace ns, IpOptions options, StringBuilder out) {

  /** The device, or iproute2's {@code Cannot find device "X"} (exit 1). */
  Link device(String name) {
    return ns.findLink(name).orElseThrow(() -> KernelException.noDevice(name));
  }

  static IpAddress address(String text, String what) {
    try {
      return IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw IpError.garbage(what, text);
    }
  }

  /** {@code 10.0.0.1/24}, {@code 10.0.0.1} (a host prefix) or {@code default}. */
  static IpPrefix prefix(String text, boolean allowDefault) {
    if (allowDefault && (text.equals("default") || text.equals("all") || text.equals("any"))) {
      return IpPrefix.parse("0.0.0.0/0");
    }
    try {
      return text.contains("/") ? IpPrefix.parse(text) : IpPrefix.host(IpAddress.parse(text));
    } catch (IllegalArgumentException e) {
      throw IpError.garbage("any valid prefix", text);
    }
  }
}
