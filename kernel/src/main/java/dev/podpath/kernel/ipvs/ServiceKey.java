package dev.podpath.kernel.ipvs;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.Protocol;

/** What identifies a virtual service: protocol, address and port, or a firewall mark. */
public sealed interface ServiceKey extends Comparable<ServiceKey> {

  /** {@code -t ADDR:PORT} or {@code -u ADDR:PORT}. */
  record Inet(Protocol protocol, IpAddress address, int port) implements ServiceKey {
    public Inet {
      if (protocol != Protocol.TCP && protocol != Protocol.UDP && protocol != Protocol.SCTP) {
        throw new IllegalArgumentException(
            "ipvs service: protocol must be tcp, udp or sctp, got " + protocol);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("ipvs service: port must be 0..65535, got " + port);
      }
    }

    @Override
    public String toString() {
      String a = address.family() == IpFamily.IPV6 ? "[" + address + "]" : address.toString();
      return protocol.name() + "  " + a + ":" + port;
    }
  }

  /** {@code -f MARK}. */
  record Fwmark(int mark, IpFamily family) implements ServiceKey {
    @Override
    public String toString() {
      return "FWM  " + Integer.toUnsignedString(mark);
    }
  }

  /** The option {@code ipvsadm -Sn} writes: {@code -t 10.0.0.1:80}, {@code -f 1}. */
  default String option() {
    return switch (this) {
      case Inet i ->
          (i.protocol() == Protocol.TCP
                  ? "-t "
                  : i.protocol() == Protocol.UDP ? "-u " : "--sctp-service ")
              + (i.address().family() == IpFamily.IPV6
                  ? "[" + i.address() + "]"
                  : i.address().toString())
              + ":"
              + i.port();
      case Fwmark f -> "-f " + Integer.toUnsignedString(f.mark());
    };
  }

  @Override
  default int compareTo(ServiceKey o) {
    return toString().compareTo(o.toString());
  }
}
