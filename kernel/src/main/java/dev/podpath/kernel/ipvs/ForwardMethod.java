package dev.podpath.kernel.ipvs;

/** How IPVS sends a packet to a real server, with the words {@code ipvsadm} uses. */
public enum ForwardMethod {
  /** NAT: the destination is rewritten to the real server ({@code -m}, listed as {@code Masq}). */
  MASQ("Masq", "-m"),
  /** Direct routing: the frame goes to the real server unchanged ({@code -g}, {@code Route}). */
  GATE("Route", "-g"),
  /** IP-in-IP to the real server ({@code -i}, {@code Tunnel}). */
  TUNNEL("Tunnel", "-i");

  private final String listed;
  private final String flag;

  ForwardMethod(String listed, String flag) {
    this.listed = listed;
    this.flag = flag;
  }

  /** The word in {@code ipvsadm -Ln}'s {@code Forward} column. */
  public String listed() {
    return listed;
  }

  /** The option of {@code ipvsadm -a} and {@code -Sn}. */
  public String flag() {
    return flag;
  }
}
