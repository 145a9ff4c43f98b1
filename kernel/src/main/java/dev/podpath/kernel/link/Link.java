package dev.podpath.kernel.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A network device ({@code struct net_device}) in a namespace: name, index, hardware address, MTU,
 * administrative state and carrier, and, when enslaved, its bridge. The state {@code ip link}
 * prints is derived the way the kernel derives it: a device is administratively up or down, has
 * carrier or not (a veth only while its peer is up), and its operational state follows.
 */
public abstract sealed class Link permits CarrierlessLink, Veth, Bridge, Nic {

  private String name;
  private int ifindex;
  private final MacAddress mac;
  private int mtu;
  private boolean adminUp;
  private boolean everUp;
  private LinkContainer namespace;
  private @Nullable Bridge master;
  private boolean hairpin;
  private boolean learning = true;

  protected Link(LinkContainer namespace, String name, int ifindex, MacAddress mac, int mtu) {
    checkName(name);
    this.namespace = namespace;
    this.name = name;
    this.ifindex = ifindex;
    this.mac = mac;
    this.mtu = mtu;
  }

  /** Throws IllegalArgumentException unless {@code name} is a valid interface name (IFNAMSIZ). */
  public static void checkName(String name) {
    if (name.isEmpty()
        || name.length() > 15
        || name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      throw new IllegalArgumentException("\"" + name + "\" is not a valid ifname");
    }
  }

  public abstract LinkKind kind();

  /** Whether the lower layer is there ({@code netif_carrier_ok}), regardless of admin state. */
  public abstract boolean carrier();

  public String name() {
    return name;
  }

  public void rename(String newName) {
    checkName(newName);
    this.name = newName;
  }

  public int ifindex() {
    return ifindex;
  }

  public void setIfindex(int index) {
    this.ifindex = index;
  }

  public MacAddress mac() {
    return mac;
  }

  public int mtu() {
    return mtu;
  }

  public void setMtu(int value) {
    if (value < 68 || value > 65535) {
      throw new IllegalArgumentException("mtu: must be 68..65535, got " + value);
    }
    this.mtu = value;
  }

  public boolean adminUp() {
    return adminUp;
  }

  public void setAdminUp(boolean up) {
    this.adminUp = up;
    everUp |= up;
  }

  /** Whether the device was ever up (it then keeps its queueing discipline when down). */
  protected boolean everUp() {
    return everUp;
  }

  /** Whether the device can pass packets: administratively up with carrier ({@code LOWER_UP}). */
  public boolean running() {
    return adminUp && carrier();
  }

  public LinkContainer namespace() {
    return namespace;
  }

  public void moveTo(LinkContainer target) {
    this.namespace = target;
  }

  /** The bridge this device is a port of. */
  public Optional<Bridge> master() {
    return Optional.ofNullable(master);
  }

  void setMaster(@Nullable Bridge bridge) {
    this.master = bridge;
  }

  /** Bridge port option {@code hairpin}: frames may leave by the port they came in on. */
  public boolean hairpin() {
    return hairpin;
  }

  public void setHairpin(boolean on) {
    this.hairpin = on;
  }

  /** Bridge port option {@code learning} (on by default). */
  public boolean learning() {
    return learning;
  }

  public void setLearning(boolean on) {
    this.learning = on;
  }

  /** The operational state {@code ip link} prints after {@code state}. */
  public OperState operState() {
    if (!adminUp) {
      return OperState.DOWN;
    }
    return carrier() ? OperState.UP : OperState.LOWERLAYERDOWN;
  }

  /**
   * The queueing discipline {@code ip link} prints: {@code noop} until the device is first up, then
   * {@code noqueue} for virtual devices, kept when it goes down again.
   */
  public String qdisc() {
    return everUp ? "noqueue" : "noop";
  }

  /** Flags in the order {@code ip link} prints them between angle brackets. */
  public List<String> flags() {
    var out = new ArrayList<String>();
    if (adminUp && !carrier()) {
      out.add("NO-CARRIER");
    }
    out.addAll(baseFlags());
    if (adminUp) {
      out.add("UP");
      if (carrier()) {
        out.add("LOWER_UP");
      }
    }
    return out;
  }

  /** The device-type flags ({@code BROADCAST,MULTICAST}). */
  protected List<String> baseFlags() {
    return List.of("BROADCAST", "MULTICAST");
  }

  /** The transmit queue length {@code ip link} prints after {@code qlen}. */
  public int qlen() {
    return 1000;
  }

  @Override
  public String toString() {
    return namespace.name() + ":" + name;
  }
}
