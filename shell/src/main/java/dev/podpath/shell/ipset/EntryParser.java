package dev.podpath.shell.ipset;

import dev.podpath.kernel.ipset.Element;
import dev.podpath.kernel.ipset.SetType;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;

/**
 * Parses an entry as ipset's userspace does for a set type ({@code IP}, {@code IP,[PROTO:]PORT},
 * {@code IP,[PROTO:]PORT,IP}, {@code IP,[PROTO:]PORT,NET}, {@code NET}, {@code NET,[PROTO:]PORT},
 * {@code PORT}); the protocol defaults to tcp, a net without a length is a host. Address ranges and
 * CIDRs where an address is expected (which ipset expands into many elements) are refused.
 */
final class EntryParser {

  /** A refused entry, with ipset's message after {@code ipset v7.17: }. */
  static final class BadEntry extends Exception {
    BadEntry(String message) {
      super(message);
    }
  }

  private EntryParser() {}

  static Element parse(SetType type, IpFamily family, String entry) throws BadEntry {
    String[] parts = entry.split(",", -1);
    int want = type.dimensions();
    if (parts.length < want) {
      throw new BadEntry(
          "Syntax error: "
              + (want - parts.length == 1 && want == 2 ? "Second" : "Third")
              + " element is missing from "
              + entry
              + ".");
    }
    if (parts.length > want) {
      throw new BadEntry(
          "Syntax error: Elem separator in " + entry + ", but settype " + type + " supports none.");
    }
    return switch (type) {
      case HASH_IP -> new Element.Ip(address(parts[0], family));
      case HASH_NET -> new Element.Net(net(parts[0], family));
      case HASH_IP_PORT -> {
        var pp = protoPort(parts[1]);
        yield new Element.IpPort(address(parts[0], family), pp.protocol(), pp.port());
      }
      case HASH_NET_PORT -> {
        var pp = protoPort(parts[1]);
        yield new Element.NetPort(net(parts[0], family), pp.protocol(), pp.port());
      }
      case HASH_IP_PORT_IP -> {
        var pp = protoPort(parts[1]);
        yield new Element.IpPortIp(
            address(parts[0], family), pp.protocol(), pp.port(), address(parts[2], family));
      }
      case HASH_IP_PORT_NET -> {
        var pp = protoPort(parts[1]);
        yield new Element.IpPortNet(
            address(parts[0], family), pp.protocol(), pp.port(), net(parts[2], family));
      }
      case BITMAP_PORT -> new Element.Port(port(parts[0], "port"));
    };
  }

  private record ProtoPort(Protocol protocol, int port) {}

  private static ProtoPort protoPort(String text) throws BadEntry {
    int colon = text.indexOf(':');
    Protocol proto = Protocol.TCP;
    String port = text;
    if (colon >= 0) {
      String name = text.substring(0, colon);
      proto =
          Protocol.find(name)
              .filter(Protocol::hasPorts)
              .orElseThrow(
                  () -> new BadEntry("Syntax error: cannot parse '" + name + "' as a protocol"));
      port = text.substring(colon + 1);
    }
    return new ProtoPort(proto, port(port, proto.iptablesName()));
  }

  private static int port(String text, String what) throws BadEntry {
    int p;
    try {
      p = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new BadEntry("Syntax error: cannot parse '" + text + "' as a " + what + " port");
    }
    if (p < 0 || p > 65535) {
      throw new BadEntry("Syntax error: '" + text + "' is out of range 0-65535");
    }
    return p;
  }

  private static IpAddress address(String text, IpFamily family) throws BadEntry {
    if (text.contains("/") || text.contains("-")) {
      throw new BadEntry(
          "Syntax error: "
              + text
              + ": podpath's ipset takes single addresses here (no ranges or CIDRs)");
    }
    IpAddress a;
    try {
      a = IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadEntry(
          "Syntax error: cannot parse "
              + text
              + ": resolving to "
              + ipv(family)
              + " address failed");
    }
    if (a.family() != family) {
      throw new BadEntry(
          "Syntax error: cannot parse "
              + text
              + ": resolving to "
              + ipv(family)
              + " address failed");
    }
    return a;
  }

  private static IpPrefix net(String text, IpFamily family) throws BadEntry {
    int slash = text.indexOf('/');
    IpAddress a = address(slash < 0 ? text : text.substring(0, slash), family);
    if (slash < 0) {
      return IpPrefix.host(a);
    }
    int len;
    try {
      len = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new BadEntry("The value of the CIDR parameter of the IP address is invalid");
    }
    if (len <= 0 || len > family.bits()) {
      throw new BadEntry("The value of the CIDR parameter of the IP address is invalid");
    }
    return IpPrefix.of(a, len);
  }

  private static String ipv(IpFamily family) {
    return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }
}
