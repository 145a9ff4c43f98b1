package dev.podpath.kernel.netfilter;

import dev.podpath.kernel.netfilter.rule.Counters;
import java.util.Map;
import java.util.TreeMap;

/** The extended accounting objects {@code -m nfacct} counts into ({@code nfacct list}). */
public final class NfAcct {

  private Map<String, Counters> objects = new TreeMap<>();

  void count(String name, long bytes) {
    objects.merge(
        name,
        Counters.ZERO.plus(bytes),
        (a, b) -> new Counters(a.packets() + 1, a.bytes() + bytes));
  }

  /** Creates an object with zero counters unless it exists ({@code nfacct add NAME}). */
  public void add(String name) {
    objects.putIfAbsent(name, Counters.ZERO);
  }

  /** Every object with its counters, by name. */
  public Map<String, Counters> list() {
    return Map.copyOf(new TreeMap<>(objects));
  }

  /** Sets every object's counters to zero ({@code nfacct get NAME reset}). */
  public void reset() {
    objects.replaceAll((k, v) -> Counters.ZERO);
  }

  Map<String, Counters> save() {
    return new TreeMap<>(objects);
  }

  void load(Map<String, Counters> saved) {
    objects = new TreeMap<>(saved);
  }
}
