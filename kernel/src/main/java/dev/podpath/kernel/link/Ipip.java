package dev.podpath.kernel.link;

import dev.podpath.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IP-in-IP tunnel ({@code ip link add NAME type ipip [local A] [remote B]}, Linux's {@code ipip}
 * module): a packet sent on it is wrapped in an IPv4 header of protocol 4 from {@code local} (or
 * the address routing picks) to {@code remote} (or, without one, the route's gateway); a protocol-4
 * packet arriving for this host is unwrapped by the tunnel whose endpoints match it best ({@code
 * ip_tunnel_lookup}: both, then remote only, then local only, then neither) and received on it. No
 * link-layer header (MTU 1480, {@code NOARP}). Loading the module gives every namespace of the host
 * a fallback {@code tunl0} (both endpoints {@code any}, down, not deletable), which catches what no
 * other tunnel takes once it is up.
 */
public final class Ipip extends CarrierlessLink {

  private final Optional<IpAddress> local;
  private final Optional<IpAddress> remote;
  private final int ttl;
  private final boolean pmtudisc;
  private final boolean fallback;

  /**
   * @param ttl the outer header's TTL, 0 to inherit the inner packet's ({@code ttl inherit})
   * @param pmtudisc whether the outer header gets DF ({@code pmtudisc}, iproute2's default; the
   *     fallback device has it off)
   */
  public Ipip(
      LinkContainer namespace,
      String name,
      int ifindex,
      Optional<IpAddress> local,
      Optional<IpAddress> remote,
      int ttl,
      boolean pmtudisc,
      boolean fallback) {
    super(namespace, name, ifindex, MacAddress.ZERO, 1480);
    local.ifPresent(Ipip::checkV4);
    remote.ifPresent(Ipip::checkV4);
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("ipip: ttl must be 0 (inherit)..255, got " + ttl);
    }
    this.local = local;
    this.remote = remote;
    this.ttl = ttl;
    this.pmtudisc = pmtudisc;
    this.fallback = fallback;
  }

  private static void checkV4(IpAddress a) {
    if (a.family() != dev.podpath.net.IpFamily.IPV4) {
      throw new IllegalArgumentException("ipip: endpoints are IPv4 addresses, got " + a);
    }
  }

  @Override
  public LinkKind kind() {
    return LinkKind.IPIP;
  }

  @Override
  protected List<String> baseFlags() {
    var flags = new ArrayList<String>();
    if (remote.isPresent()) {
      flags.add("POINTOPOINT");
    }
    flags.add("NOARP");
    return flags;
  }

  /** The tunnel's own address ({@code local}), {@code any} when absent. */
  public Optional<IpAddress> local() {
    return local;
  }

  /** The other end ({@code remote}), {@code any} when absent. */
  public Optional<IpAddress> remote() {
    return remote;
  }

  /** The outer TTL, 0 for {@code inherit}. */
  public int ttl() {
    return ttl;
  }

  public boolean pmtudisc() {
    return pmtudisc;
  }

  /** Whether this is the module's fallback device {@code tunl0}. */
  public boolean fallback() {
    return fallback;
  }

  /**
   * How well this tunnel matches an arriving packet from {@code outerSrc} to {@code outerDst}: 4
   * both endpoints, 3 remote only (local any), 2 local only (remote any), 1 neither (a wildcard
   * tunnel), 0 the fallback; -1 no match ({@code ip_tunnel_lookup}'s passes, in order).
   */
  public int matchRank(IpAddress outerSrc, IpAddress outerDst) {
    boolean r = remote.map(outerSrc::equals).orElse(false);
    boolean l = local.map(outerDst::equals).orElse(false);
    if (fallback) {
      return 0;
    }
    if (r && l) {
      return 4;
    }
    if (r && local.isEmpty()) {
      return 3;
    }
    if (l && remote.isEmpty()) {
      return 2;
    }
    if (local.isEmpty() && remote.isEmpty()) {
      return 1;
    }
    return -1;
  }
}
