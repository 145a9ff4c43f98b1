package dev.podpath.kernel.path;

import dev.podpath.net.Chooser;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Packet;
import dev.podpath.net.trace.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One packet on its way through one network namespace ({@code struct sk_buff} plus the walk's
 * bookkeeping): the headers, which NAT may rewrite; the packet mark; the input and output
 * interfaces and, for bridged packets, the bridge ports; the conntrack entry and state; the random
 * source for {@code statistic} and schedulers; and the trace steps recorded so far in this
 * namespace. Mutable and confined to one walk.
 */
public final class PacketContext {

  private final NamespaceView namespace;
  private final Chooser chooser;
  private final List<Step> steps = new ArrayList<>();
  private Packet packet;
  private @Nullable Hook hook;
  private int mark;
  private Optional<String> inInterface = Optional.empty();
  private Optional<String> outInterface = Optional.empty();
  private Optional<String> physIn = Optional.empty();
  private Optional<String> physOut = Optional.empty();
  private boolean bridged;
  private boolean locallyGenerated;
  private @Nullable TrackedConnection connection;
  private CtState ctState = CtState.NEW;
  private boolean replyDirection;
  private boolean untracked;
  private @Nullable IpAddress nextHop;
  private Optional<MacHeader> macHeader = Optional.empty();
  private @Nullable IpAddress tunnelTo;

  public PacketContext(NamespaceView namespace, Packet packet, Chooser chooser) {
    this.namespace = namespace;
    this.packet = packet;
    this.chooser = chooser;
  }

  public NamespaceView namespace() {
    return namespace;
  }

  public Chooser chooser() {
    return chooser;
  }

  public Packet packet() {
    return packet;
  }

  public void setPacket(Packet p) {
    packet = p;
  }

  /** The hook being run, if any. */
  public Optional<Hook> hook() {
    return Optional.ofNullable(hook);
  }

  public void setHook(@Nullable Hook h) {
    hook = h;
  }

  /** The packet mark ({@code skb->mark}), an unsigned 32-bit value. */
  public int mark() {
    return mark;
  }

  public void setMark(int m) {
    mark = m;
  }

  public Optional<String> inInterface() {
    return inInterface;
  }

  public void setInInterface(@Nullable String name) {
    inInterface = Optional.ofNullable(name);
  }

  public Optional<String> outInterface() {
    return outInterface;
  }

  public void setOutInterface(@Nullable String name) {
    outInterface = Optional.ofNullable(name);
  }

  /** The bridge port the packet came in on ({@code -m physdev --physdev-in}). */
  public Optional<String> physIn() {
    return physIn;
  }

  public void setPhysIn(@Nullable String port) {
    physIn = Optional.ofNullable(port);
  }

  /** The bridge port the packet leaves by ({@code --physdev-out}). */
  public Optional<String> physOut() {
    return physOut;
  }

  public void setPhysOut(@Nullable String port) {
    physOut = Optional.ofNullable(port);
  }

  /** Whether the packet is being bridged (iptables sees it only via br_netfilter). */
  public boolean bridged() {
    return bridged;
  }

  public void setBridged(boolean b) {
    bridged = b;
  }

  /** Whether a local socket sent the packet (it entered at OUTPUT). */
  public boolean locallyGenerated() {
    return locallyGenerated;
  }

  public void setLocallyGenerated(boolean b) {
    locallyGenerated = b;
  }

  public Optional<TrackedConnection> connection() {
    return Optional.ofNullable(connection);
  }

  public void setConnection(@Nullable TrackedConnection c) {
    connection = c;
  }

  public CtState ctState() {
    return ctState;
  }

  public void setCtState(CtState s) {
    ctState = s;
  }

  /** Whether the packet travels in its connection's reply direction. */
  public boolean replyDirection() {
    return replyDirection;
  }

  public void setReplyDirection(boolean b) {
    replyDirection = b;
  }

  /**
   * Whether conntrack was told to leave the packet alone ({@code NOTRACK}, {@code CT --notrack}).
   */
  public boolean untracked() {
    return untracked;
  }

  public void setUntracked(boolean b) {
    untracked = b;
  }

  /**
   * The next hop a function chose for the packet, overriding the route's ({@code IPVS} direct
   * routing sends the packet unchanged to the real server's address).
   */
  public Optional<IpAddress> nextHop() {
    return Optional.ofNullable(nextHop);
  }

  public void setNextHop(@Nullable IpAddress address) {
    nextHop = address;
  }

  /**
   * The real server a function chose to tunnel the packet to, in IP-in-IP ({@code IPVS} tunnel
   * forwarding, {@code ip_vs_tunnel_xmit}).
   */
  public Optional<IpAddress> tunnelTo() {
    return Optional.ofNullable(tunnelTo);
  }

  public void setTunnelTo(@Nullable IpAddress address) {
    tunnelTo = address;
  }

  /** The link-layer header the packet was received with (absent for a locally sent packet). */
  public Optional<MacHeader> macHeader() {
    return macHeader;
  }

  public void setMacHeader(@Nullable MacHeader header) {
    macHeader = Optional.ofNullable(header);
  }

  public void addStep(Step step) {
    steps.add(step);
  }

  /** The steps recorded so far in this namespace, in order. */
  public List<Step> steps() {
    return Collections.unmodifiableList(steps);
  }
}
