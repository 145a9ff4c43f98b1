package dev.podpath.kernel.ipset;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.Packet;
import dev.podpath.net.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ip sets of one network namespace, as the {@code ip_set} kernel module keeps them: create,
 * destroy, add, del, test, flush, swap, rename and list, element timeouts on the virtual clock, and
 * the look-up {@code -m set} does for a packet. Every refused operation throws an {@link
 * IpSetException} with ipset's message and changes nothing.
 */
public final class IpSets {

  /**
   * One set: its spec, its elements with their expiry (nanos; MAX_VALUE for never) and the comments
   * of those that have one.
   */
  private record Stored(SetSpec spec, Map<Element, Long> elements, Map<Element, String> comments) {
    Stored(SetSpec spec) {
      this(spec, new HashMap<>(), new HashMap<>());
    }

    Stored copy() {
      return new Stored(spec, new HashMap<>(elements), new HashMap<>(comments));
    }

    Stored renamed(String name) {
      return new Stored(spec.named(name), elements, comments);
    }
  }

  /** The state of every set at one moment, for {@link #restore}; opaque. */
  public static final class Snapshot {
    private final Map<String, Stored> sets;
    private final List<String> slots;

    private Snapshot(Map<String, Stored> sets, List<String> slots) {
      this.sets = sets;
      this.slots = slots;
    }
  }

  private final VirtualClock clock;
  private Map<String, Stored> sets = new HashMap<>();

  /**
   * The kernel's set array: each set's index, in which {@code ipset list} and {@code save} show
   * them. A new set takes the first free index, so one created after a destroy fills its hole.
   */
  private List<String> slots = new ArrayList<>();

  private Map<String, Integer> references = Map.of();

  public IpSets(VirtualClock clock) {
    this.clock = clock;
  }

  /** {@code ipset create}; with {@code exist}, an identical existing set is not an error. */
  public void create(SetSpec spec, boolean exist) {
    Stored old = sets.get(spec.name());
    if (old != null) {
      if (exist && old.spec().equals(spec)) {
        return;
      }
      throw new IpSetException("Set cannot be created: set with the same name already exists");
    }
    sets.put(spec.name(), new Stored(spec));
    int free = slots.indexOf("");
    if (free < 0) {
      slots.add(spec.name());
    } else {
      slots.set(free, spec.name());
    }
  }

  /** {@code ipset destroy NAME}. */
  public void destroy(String name) {
    require(name);
    if (references.getOrDefault(name, 0) > 0) {
      throw new IpSetException("Set cannot be destroyed: it is in use by a kernel component");
    }
    sets.remove(name);
    slots.set(slots.indexOf(name), "");
  }

  /** {@code ipset add NAME ELEMENT [timeout S]}; with {@code exist}, re-adding refreshes. */
  public void add(String name, Element element, Optional<Long> timeoutSeconds, boolean exist) {
    add(name, element, timeoutSeconds, Optional.empty(), exist);
  }

  /**
   * {@code ipset add NAME ELEMENT [timeout S] [comment TEXT]}; with {@code exist}, re-adding
   * refreshes the timeout and replaces the comment (re-adding without one removes it). An empty
   * comment is no comment.
   */
  public void add(
      String name,
      Element element,
      Optional<Long> timeoutSeconds,
      Optional<String> comment,
      boolean exist) {
    Stored s = require(name);
    check(s.spec(), element);
    if (timeoutSeconds.isPresent() && s.spec().timeout().isEmpty()) {
      throw new IpSetException("Kernel error received: ipset protocol error");
    }
    if (comment.isPresent() && !s.spec().comment()) {
      throw new IpSetException("Comment cannot be used: set was created without comment support");
    }
    expire(s);
    if (s.elements().containsKey(element) && !exist) {
      throw new IpSetException("Element cannot be added to the set: it's already added");
    }
    if (!s.elements().containsKey(element) && s.elements().size() >= s.spec().maxElements()) {
      throw new IpSetException("Hash is full, cannot add more elements");
    }
    long t = timeoutSeconds.or(s.spec()::timeout).orElse(0L);
    s.elements()
        .put(element, t == 0 ? Long.MAX_VALUE : clock.nanos() + Duration.ofSeconds(t).toNanos());
    comment
        .filter(c -> !c.isEmpty())
        .ifPresentOrElse(c -> s.comments().put(element, c), () -> s.comments().remove(element));
  }

  /** {@code ipset del NAME ELEMENT}. */
  public void delete(String name, Element element, boolean exist) {
    Stored s = require(name);
    expire(s);
    if (s.elements().remove(element) == null && !exist) {
      throw new IpSetException("Element cannot be deleted from the set: it's not added");
    }
    s.comments().remove(element);
  }

  /**
   * {@code ipset test NAME ELEMENT}: for hash:net, an address is in the set when a net holds it.
   */
  public boolean test(String name, Element element) {
    Stored s = require(name);
    check(s.spec(), element);
    expire(s);
    return contains(s, element);
  }

  /** {@code ipset flush [NAME]}. */
  public void flush(Optional<String> name) {
    if (name.isPresent()) {
      var s = require(name.get());
      s.elements().clear();
      s.comments().clear();
    } else {
      sets.values()
          .forEach(
              s -> {
                s.elements().clear();
                s.comments().clear();
              });
    }
  }

  /** {@code ipset swap A B}: the sets exchange names (they must have the same type and family). */
  public void swap(String a, String b) {
    Stored sa = require(a);
    Stored sb = require(b);
    if (sa.spec().type() != sb.spec().type() || sa.spec().family() != sb.spec().family()) {
      throw new IpSetException("The sets cannot be swapped: their type does not match");
    }
    sets.put(a, sb.renamed(a));
    sets.put(b, sa.renamed(b));
  }

  /** {@code ipset rename FROM TO}. */
  public void rename(String from, String to) {
    Stored s = require(from);
    if (sets.containsKey(to)) {
      throw new IpSetException("Set cannot be renamed: a set with the new name already exists");
    }
    if (references.getOrDefault(from, 0) > 0) {
      throw new IpSetException("Set cannot be renamed: it is in use by a kernel component");
    }
    sets.remove(from);
    sets.put(to, s.renamed(to));
    slots.set(slots.indexOf(from), to);
  }

  public boolean exists(String name) {
    return sets.containsKey(name);
  }

  /** {@code ipset list NAME}. */
  public Optional<SetListing> list(String name) {
    Stored s = sets.get(name);
    if (s == null) {
      return Optional.empty();
    }
    expire(s);
    var members = new ArrayList<SetListing.Member>();
    var sorted = new TreeSet<Element>(Comparator.comparing(IpSets::sortKey));
    sorted.addAll(s.elements().keySet());
    for (Element e : sorted) {
      long exp = s.elements().get(e);
      Optional<Long> left =
          s.spec().timeout().isEmpty()
              ? Optional.empty()
              : Optional.of(
                  exp == Long.MAX_VALUE ? 0L : Math.max(0, (exp - clock.nanos()) / 1_000_000_000L));
      members.add(new SetListing.Member(e, left, Optional.ofNullable(s.comments().get(e))));
    }
    return Optional.of(new SetListing(s.spec(), references.getOrDefault(name, 0), members));
  }

  /** Every set, in the kernel's order (by index: creation order, holes refilled). */
  public List<SetListing> list() {
    return slots.stream().filter(n -> !n.isEmpty()).map(n -> list(n).orElseThrow()).toList();
  }

  /**
   * Whether a packet is in a set, taking one packet field per dimension ({@code true} for the
   * source side): {@code --match-set NAME src,dst}. A packet of the other family, or without the
   * ports the set needs, is not in it.
   */
  public boolean matches(String name, Packet packet, List<Boolean> fromSource) {
    Stored s = sets.get(name);
    if (s == null || fromSource.size() < s.spec().type().dimensions()) {
      return false;
    }
    if (s.spec().type().hasFamily() && packet.family() != s.spec().family()) {
      return false;
    }
    expire(s);
    IpAddress addr = fromSource.get(0) ? packet.src() : packet.dst();
    int port = fromSource.size() > 1 && fromSource.get(1) ? packet.srcPort() : packet.dstPort();
    int firstPort = fromSource.get(0) ? packet.srcPort() : packet.dstPort();
    IpAddress third = fromSource.size() > 2 && fromSource.get(2) ? packet.src() : packet.dst();
    boolean ports = packet.protocol().hasPorts();
    Element probe =
        switch (s.spec().type()) {
          case HASH_IP -> new Element.Ip(addr);
          case HASH_NET -> new Element.Net(IpPrefix.host(addr));
          case HASH_IP_PORT -> ports ? new Element.IpPort(addr, packet.protocol(), port) : null;
          case HASH_NET_PORT ->
              ports ? new Element.NetPort(IpPrefix.host(addr), packet.protocol(), port) : null;
          case HASH_IP_PORT_IP ->
              ports ? new Element.IpPortIp(addr, packet.protocol(), port, third) : null;
          case HASH_IP_PORT_NET ->
              ports
                  ? new Element.IpPortNet(addr, packet.protocol(), port, IpPrefix.host(third))
                  : null;
          case BITMAP_PORT -> ports ? new Element.Port(firstPort) : null;
        };
    return probe != null && contains(s, probe);
  }

  /** Sets the reference counts (how many rules use each set), kept by netfilter on commit. */
  public void setReferences(Map<String, Integer> counts) {
    references = Map.copyOf(counts);
  }

  public Snapshot snapshot() {
    var copy = new HashMap<String, Stored>();
    sets.forEach((k, v) -> copy.put(k, v.copy()));
    return new Snapshot(copy, List.copyOf(slots));
  }

  public void restore(Snapshot snapshot) {
    var restored = new HashMap<String, Stored>();
    snapshot.sets.forEach((k, v) -> restored.put(k, v.copy()));
    sets = restored;
    slots = new ArrayList<>(snapshot.slots);
  }

  private boolean contains(Stored s, Element e) {
    if (s.elements().containsKey(e)) {
      return true;
    }
    return switch (e) {
      case Element.Net n -> anyNetHolds(s, n.prefix(), p -> new Element.Net(p));
      case Element.NetPort n ->
          anyNetHolds(s, n.prefix(), p -> new Element.NetPort(p, n.protocol(), n.port()));
      case Element.IpPortNet n ->
          anyNetHolds(
              s, n.prefix(), p -> new Element.IpPortNet(n.address(), n.protocol(), n.port(), p));
      default -> false;
    };
  }

  /** The kernel's hash:net look-up: try every prefix length, most specific first. */
  private boolean anyNetHolds(
      Stored s, IpPrefix probe, java.util.function.Function<IpPrefix, Element> make) {
    for (int len = probe.length(); len >= 1; len--) {
      if (s.elements().containsKey(make.apply(IpPrefix.of(probe.address(), len).masked()))) {
        return true;
      }
    }
    return false;
  }

  private void expire(Stored s) {
    long now = clock.nanos();
    s.elements().values().removeIf(exp -> exp <= now);
    s.comments().keySet().retainAll(s.elements().keySet());
  }

  private Stored require(String name) {
    Stored s = sets.get(name);
    if (s == null) {
      throw new IpSetException("The set with the given name does not exist");
    }
    return s;
  }

  private static void check(SetSpec spec, Element e) {
    if (e.type() != spec.type()) {
      throw new IpSetException(
          "Syntax error: element " + e + " does not fit a " + spec.type() + " set");
    }
    if (spec.type().hasFamily() && e.family().orElseThrow() != spec.family()) {
      throw new IpSetException("Syntax error: " + e + " is not of the set's family");
    }
    if (e instanceof Element.Port p && !spec.range().orElseThrow().contains(p.port())) {
      throw new IpSetException("Element is out of the range of the set");
    }
    if (e instanceof Element.Net n && n.prefix().length() == 0
        || e instanceof Element.NetPort np && np.prefix().length() == 0
        || e instanceof Element.IpPortNet ipn && ipn.prefix().length() == 0) {
      throw new IpSetException("The value of the CIDR parameter of the IP address is invalid");
    }
  }

  private static String sortKey(Element e) {
    return switch (e) {
      case Element.Ip i -> key(i.address()) + "/";
      case Element.IpPort i -> key(i.address()) + "/" + protoPort(i.protocol(), i.port());
      case Element.IpPortIp i ->
          key(i.address()) + "/" + protoPort(i.protocol(), i.port()) + key(i.address2());
      case Element.IpPortNet i ->
          key(i.address())
              + "/"
              + protoPort(i.protocol(), i.port())
              + key(i.prefix().address())
              + pad(128 - i.prefix().length());
      case Element.Net n -> key(n.prefix().address()) + "/" + pad(n.prefix().length());
      case Element.NetPort n ->
          key(n.prefix().address()) + "/" + pad(n.prefix().length()) + n.protocol() + pad(n.port());
      case Element.Port p -> pad(p.port());
    };
  }

  /** {@code ipset list -sorted} order: tcp (6), udp (17), sctp (132), then the port. */
  private static String protoPort(dev.podpath.net.Protocol protocol, int port) {
    return pad(protocol.number()) + pad(port);
  }

  private static String key(IpAddress a) {
    String hex = a.toBigInteger().toString(16);
    return "0".repeat(32 - hex.length()) + hex;
  }

  private static String pad(int n) {
    return String.format("%05d", n);
  }
}
