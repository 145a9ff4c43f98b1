package dev.podpath.shell.ipvsadm;

import dev.podpath.kernel.ipvs.Destination;
import dev.podpath.kernel.ipvs.ServiceInfo;
import dev.podpath.kernel.ipvs.ServiceKey;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order ipvsadm lists services and real servers in unless {@code --nosort}: libipvs's {@code
 * ipvs_cmp_services} (fwmark, family, protocol, address, port) and {@code ipvs_cmp_dests} (family,
 * address, port), applied with {@code qsort} to what the kernel returned. Like libipvs, the
 * differences are taken as C {@code int} subtractions of 32-bit words, so two IPv4 addresses more
 * than 2^31 apart compare the other way round; the sort is stable, as glibc's merge sort is.
 */
final class ListingOrder {

  private ListingOrder() {}

  static List<ServiceInfo> services(List<ServiceInfo> services) {
    List<ServiceInfo> out = new ArrayList<>(services);
    out.sort(ListingOrder::compareServices);
    return out;
  }

  static List<Destination> destinations(List<Destination> destinations) {
    List<Destination> out = new ArrayList<>(destinations);
    out.sort(
        Comparator.comparingInt((Destination d) -> af(d.address().family()))
            .thenComparing((a, b) -> compareAddresses(a.address(), b.address()))
            .thenComparingInt(Destination::port));
    return out;
  }

  private static int compareServices(ServiceInfo x, ServiceInfo y) {
    ServiceKey a = x.key();
    ServiceKey b = y.key();
    int r = fwmark(a) - fwmark(b);
    if (r != 0) {
      return r;
    }
    r = af(family(a)) - af(family(b));
    if (r != 0) {
      return r;
    }
    if (a instanceof ServiceKey.Inet i && b instanceof ServiceKey.Inet j) {
      r = i.protocol().number() - j.protocol().number();
      if (r == 0) {
        r = compareAddresses(i.address(), j.address());
      }
      return r != 0 ? r : i.port() - j.port();
    }
    return 0;
  }

  private static IpFamily family(ServiceKey k) {
    return switch (k) {
      case ServiceKey.Inet i -> i.address().family();
      case ServiceKey.Fwmark f -> f.family();
    };
  }

  private static int fwmark(ServiceKey k) {
    return k instanceof ServiceKey.Fwmark f ? f.mark() : 0;
  }

  private static int af(IpFamily f) {
    return f == IpFamily.IPV4 ? 2 : 10; // AF_INET, AF_INET6
  }

  /** {@code ntohl(a) - ntohl(b)} word by word, as C ints. */
  private static int compareAddresses(IpAddress a, IpAddress b) {
    int words = a.family() == IpFamily.IPV4 ? 1 : 4;
    BigInteger x = a.toBigInteger();
    BigInteger y = b.toBigInteger();
    for (int w = words - 1; w >= 0; w--) {
      int r = x.shiftRight(32 * w).intValue() - y.shiftRight(32 * w).intValue();
      if (r != 0) {
        return r;
      }
    }
    return 0;
  }
}
