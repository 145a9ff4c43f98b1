package dev.podpath.dns.records;

/** A named (or unnamed, "") port of a Service or endpoint group; port -1 stands for "no ports". */
public record PortEntry(String name, String protocol, int port) {

  /** CoreDNS's placeholder port for an endpoint group that declares none. */
  public static final PortEntry NONE = new PortEntry("", "", -1);

  public PortEntry {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("port must be -1..65535, got " + port);
    }
  }
}
