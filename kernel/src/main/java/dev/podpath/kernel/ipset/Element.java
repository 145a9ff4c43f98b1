package dev.podpath.kernel.ipset;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Protocol;

/**
 * One member of a set, in the shape of its set's type. {@code toString} is the form {@code ipset
 * list} prints ({@code 10.0.0.1,tcp:80}).
 */
public sealed interface Element {

  /** A member of a {@code hash:ip} set. */
  record Ip(IpAddress address) implements Element {
    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** A member of a {@code hash:ip,port} set. */
  record IpPort(IpAddress address, Protocol protocol, int port) implements Element {
    public IpPort {
      checkPort(protocol, port);
    }

    @Override
    public String toString() {
      return address + "," + protocol.iptablesName() + ":" + port;
    }
  }

  /** A member of a {@code hash:net} set (a /32 or /128 prints as a bare address). */
  record Net(IpPrefix prefix) implements Element {
    public Net {
      prefix = prefix.masked();
    }

    @Override
    public String toString() {
      return prefix.isHost() ? prefix.address().toString() : prefix.toString();
    }
  }

  /** A member of a {@code hash:net,port} set. */
  record NetPort(IpPrefix prefix, Protocol protocol, int port) implements Element {
    public NetPort {
      prefix = prefix.masked();
      checkPort(protocol, port);
    }

    @Override
    public String toString() {
      return new Net(prefix) + "," + protocol.iptablesName() + ":" + port;
    }
  }

  /**
   * A member of a {@code hash:ip,port,ip} set ({@code 10.244.1.5,tcp:8080,10.244.1.5}); both
   * addresses of one family.
   */
  record IpPortIp(IpAddress address, Protocol protocol, int port, IpAddress address2)
      implements Element {
    public IpPortIp {
      checkPort(protocol, port);
      checkFamilies(address, address2.family());
    }

    @Override
    public String toString() {
      return new IpPort(address, protocol, port) + "," + address2;
    }
  }

  /**
   * A member of a {@code hash:ip,port,net} set ({@code 172.18.255.1,tcp:80,10.0.0.0/8}; a /32 or
   * /128 net prints as a bare address); the net is masked and of the address's family.
   */
  record IpPortNet(IpAddress address, Protocol protocol, int port, IpPrefix prefix)
      implements Element {
    public IpPortNet {
      prefix = prefix.masked();
      checkPort(protocol, port);
      checkFamilies(address, prefix.family());
    }

    @Override
    public String toString() {
      return new IpPort(address, protocol, port) + "," + new Net(prefix);
    }
  }

  /** A member of a {@code bitmap:port} set. */
  record Port(int port) implements Element {
    public Port {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("ipset: port must be 0..65535, got " + port);
      }
    }

    @Override
    public String toString() {
      return Integer.toString(port);
    }
  }

  /** The type of set this element belongs in. */
  default SetType type() {
    return switch (this) {
      case Ip i -> SetType.HASH_IP;
      case IpPort i -> SetType.HASH_IP_PORT;
      case Net n -> SetType.HASH_NET;
      case NetPort n -> SetType.HASH_NET_PORT;
      case IpPortIp i -> SetType.HASH_IP_PORT_IP;
      case IpPortNet i -> SetType.HASH_IP_PORT_NET;
      case Port p -> SetType.BITMAP_PORT;
    };
  }

  /** The address family of the element, if it has an address. */
  default java.util.Optional<IpFamily> family() {
    return switch (this) {
      case Ip i -> java.util.Optional.of(i.address().family());
      case IpPort i -> java.util.Optional.of(i.address().family());
      case Net n -> java.util.Optional.of(n.prefix().family());
      case NetPort n -> java.util.Optional.of(n.prefix().family());
      case IpPortIp i -> java.util.Optional.of(i.address().family());
      case IpPortNet i -> java.util.Optional.of(i.address().family());
      case Port p -> java.util.Optional.empty();
    };
  }

  private static void checkFamilies(IpAddress address, IpFamily second) {
    if (address.family() != second) {
      throw new IllegalArgumentException(
          "ipset: the two addresses of an element must be of one family");
    }
  }

  private static void checkPort(Protocol protocol, int port) {
    if (!protocol.hasPorts()) {
      throw new IllegalArgumentException(
          "ipset: a port element needs tcp, udp or sctp, got " + protocol);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ipset: port must be 0..65535, got " + port);
    }
  }
}
