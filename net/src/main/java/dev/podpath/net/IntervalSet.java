package dev.podpath.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An immutable set of values of a discrete ordered domain, kept as sorted, disjoint, non-adjacent
 * closed intervals. Union, intersection, difference and containment work interval by interval, so
 * NetworkPolicy reasoning over address and port ranges never enumerates members.
 *
 * @param <T> the member type; {@link Domain} says how to step to the neighbouring values
 */
public final class IntervalSet<T extends Comparable<T>> {

  /** A discrete ordered domain with a least and a greatest value. */
  public interface Domain<T extends Comparable<T>> {
    T min();

    T max();

    /** The next value; never called on {@link #max()}. */
    T next(T value);

    /** The previous value; never called on {@link #min()}. */
    T previous(T value);
  }

  /** A closed interval {@code [low, high]}. */
  public record Interval<T extends Comparable<T>>(T low, T high) {
    public Interval {
      if (low.compareTo(high) > 0) {
        throw new IllegalArgumentException("interval: low " + low + " is above high " + high);
      }
    }

    public boolean contains(T value) {
      return low.compareTo(value) <= 0 && value.compareTo(high) <= 0;
    }

    @Override
    public String toString() {
      return low.equals(high) ? low.toString() : low + "-" + high;
    }
  }

  private final Domain<T> domain;
  private final List<Interval<T>> intervals;

  private IntervalSet(Domain<T> domain, List<Interval<T>> normalized) {
    this.domain = domain;
    this.intervals = Collections.unmodifiableList(normalized);
  }

  public static <T extends Comparable<T>> IntervalSet<T> empty(Domain<T> domain) {
    return new IntervalSet<>(domain, List.of());
  }

  public static <T extends Comparable<T>> IntervalSet<T> all(Domain<T> domain) {
    return new IntervalSet<>(domain, List.of(new Interval<>(domain.min(), domain.max())));
  }

  public static <T extends Comparable<T>> IntervalSet<T> of(Domain<T> domain, T low, T high) {
    return new IntervalSet<>(domain, List.of(new Interval<>(low, high)));
  }

  /** A set from intervals in any order, overlapping or not. */
  public static <T extends Comparable<T>> IntervalSet<T> of(
      Domain<T> domain, List<Interval<T>> intervals) {
    var sorted = new ArrayList<>(intervals);
    sorted.sort((a, b) -> a.low().compareTo(b.low()));
    var out = new ArrayList<Interval<T>>();
    for (var iv : sorted) {
      if (!out.isEmpty()) {
        var last = out.get(out.size() - 1);
        boolean touches =
            last.high().compareTo(domain.max()) == 0
                || domain.next(last.high()).compareTo(iv.low()) >= 0;
        if (touches) {
          if (iv.high().compareTo(last.high()) > 0) {
            out.set(out.size() - 1, new Interval<>(last.low(), iv.high()));
          }
          continue;
        }
      }
      out.add(iv);
    }
    return new IntervalSet<>(domain, out);
  }

  public Domain<T> domain() {
    return domain;
  }

  public List<Interval<T>> intervals() {
    return intervals;
  }

  public boolean isEmpty() {
    return intervals.isEmpty();
  }

  public boolean isAll() {
    return intervals.size() == 1
        && intervals.get(0).low().equals(domain.min())
        && intervals.get(0).high().equals(domain.max());
  }

  public boolean contains(T value) {
    int lo = 0;
    int hi = intervals.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      var iv = intervals.get(mid);
      if (value.compareTo(iv.low()) < 0) {
        hi = mid - 1;
      } else if (value.compareTo(iv.high()) > 0) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether every member of {@code other} is a member of this set. */
  public boolean containsAll(IntervalSet<T> other) {
    return other.difference(this).isEmpty();
  }

  public boolean intersects(IntervalSet<T> other) {
    return !intersection(other).isEmpty();
  }

  public IntervalSet<T> union(IntervalSet<T> other) {
    var all = new ArrayList<>(intervals);
    all.addAll(other.intervals);
    return of(domain, all);
  }

  public IntervalSet<T> intersection(IntervalSet<T> other) {
    var out = new ArrayList<Interval<T>>();
    int i = 0;
    int j = 0;
    while (i < intervals.size() && j < other.intervals.size()) {
      var a = intervals.get(i);
      var b = other.intervals.get(j);
      T low = max(a.low(), b.low());
      T high = min(a.high(), b.high());
      if (low.compareTo(high) <= 0) {
        out.add(new Interval<>(low, high));
      }
      if (a.high().compareTo(b.high()) < 0) {
        i++;
      } else {
        j++;
      }
    }
    return new IntervalSet<>(domain, out);
  }

  public IntervalSet<T> complement() {
    var out = new ArrayList<Interval<T>>();
    T cursor = domain.min();
    boolean open = true;
    for (var iv : intervals) {
      if (iv.low().compareTo(cursor) > 0) {
        out.add(new Interval<>(cursor, domain.previous(iv.low())));
      }
      if (iv.high().compareTo(domain.max()) == 0) {
        open = false;
        break;
      }
      cursor = domain.next(iv.high());
    }
    if (open) {
      out.add(new Interval<>(cursor, domain.max()));
    }
    return new IntervalSet<>(domain, out);
  }

  public IntervalSet<T> difference(IntervalSet<T> other) {
    return intersection(other.complement());
  }

  /** The least member, if any. */
  public Optional<T> first() {
    return intervals.isEmpty() ? Optional.empty() : Optional.of(intervals.get(0).low());
  }

  /** This set with every member mapped by a monotone function (a renumbering). */
  public IntervalSet<T> map(UnaryOperator<T> monotone) {
    var out = new ArrayList<Interval<T>>();
    for (var iv : intervals) {
      out.add(new Interval<>(monotone.apply(iv.low()), monotone.apply(iv.high())));
    }
    return of(domain, out);
  }

  private static <T extends Comparable<T>> T max(T a, T b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static <T extends Comparable<T>> T min(T a, T b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntervalSet<?> s && s.intervals.equals(intervals);
  }

  @Override
  public int hashCode() {
    return intervals.hashCode();
  }

  /** Comma-separated intervals, {@code 80,8080-8090}. */
  @Override
  public String toString() {
    var sb = new StringBuilder();
    for (var iv : intervals) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(iv);
    }
    return sb.toString();
  }
}
