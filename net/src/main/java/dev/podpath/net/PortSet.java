package dev.podpath.net;

import java.util.ArrayList;
import java.util.List;

/** A set of ports 0..65535 as intervals ({@code 80,8080-8090}). */
public record PortSet(IntervalSet<Integer> set) {

  public static final IntervalSet.Domain<Integer> DOMAIN =
      new IntervalSet.Domain<>() {
        @Override
        public Integer min() {
          return 0;
        }

        @Override
        public Integer max() {
          return 65535;
        }

        @Override
        public Integer next(Integer value) {
          return value + 1;
        }

        @Override
        public Integer previous(Integer value) {
          return value - 1;
        }
      };

  public static final PortSet ALL = new PortSet(IntervalSet.all(DOMAIN));
  public static final PortSet NONE = new PortSet(IntervalSet.empty(DOMAIN));

  public static PortSet of(int port) {
    return range(port, port);
  }

  public static PortSet range(int low, int high) {
    check(low);
    check(high);
    return new PortSet(IntervalSet.of(DOMAIN, low, high));
  }

  /** Parses {@code 80}, {@code 80-90} or a comma-separated list of them. */
  public static PortSet parse(String text) {
    List<IntervalSet.Interval<Integer>> ivs = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      int dash = part.indexOf('-');
      try {
        int low = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int high = dash < 0 ? low : Integer.parseInt(part.substring(dash + 1));
        check(low);
        check(high);
        ivs.add(new IntervalSet.Interval<>(low, high));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a port or port range: " + part, e);
      }
    }
    return new PortSet(IntervalSet.of(DOMAIN, ivs));
  }

  private static void check(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0..65535, got " + port);
    }
  }

  public boolean contains(int port) {
    return set.contains(port);
  }

  public boolean isEmpty() {
    return set.isEmpty();
  }

  public boolean isAll() {
    return set.isAll();
  }

  public PortSet union(PortSet o) {
    return new PortSet(set.union(o.set));
  }

  public PortSet intersection(PortSet o) {
    return new PortSet(set.intersection(o.set));
  }

  public PortSet difference(PortSet o) {
    return new PortSet(set.difference(o.set));
  }

  public boolean containsAll(PortSet o) {
    return set.containsAll(o.set);
  }

  @Override
  public String toString() {
    return set.toString();
  }
}
