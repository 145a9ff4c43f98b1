package dev.podpath.kernel.ipvs;

import java.util.List;
import java.util.Optional;

/**
 * A virtual service as {@code ipvsadm -Ln} and {@code -Sn} need it.
 *
 * @param persistenceSeconds {@code -p TIMEOUT}, when persistent
 * @param persistenceMask {@code -M NETMASK} as a prefix length (32 for one client address)
 */
public record ServiceInfo(
    ServiceKey key,
    String scheduler,
    Optional<Integer> persistenceSeconds,
    int persistenceMask,
    List<Destination> destinations) {

  public ServiceInfo {
    destinations = List.copyOf(destinations);
  }

  /** The lines {@code ipvsadm -Sn} writes for this service and its real servers. */
  public List<String> saveLines() {
    var out = new java.util.ArrayList<String>();
    var sb = new StringBuilder("-A ").append(key.option()).append(" -s ").append(scheduler);
    persistenceSeconds.ifPresent(p -> sb.append(" -p ").append(p));
    out.add(sb.toString());
    for (var d : destinations) {
      out.add(
          "-a "
              + key.option()
              + " -r "
              + d.endpoint()
              + " "
              + d.method().flag()
              + " -w "
              + d.weight());
    }
    return out;
  }
}
