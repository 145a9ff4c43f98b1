package dev.podpath.proxy.conntrack;

import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.Endpoint;
import dev.podpath.proxy.ServicePort;
import dev.podpath.proxy.ServicePortName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans the conntrack deletions after a successful sync, for UDP only (TCP connections end by
 * themselves; a UDP flow keeps its stale NAT binding for as long as packets keep coming): entries
 * of a deleted UDP service port's cluster IP; entries DNATed to a UDP endpoint that went away or
 * stopped being ready; and entries to the addresses of a UDP service port that had no ready
 * endpoint before (they were being rejected and would keep being).
 */
public final class StaleConntrack {

  private StaleConntrack() {}

  public static List<ConntrackAction> plan(ChangeTracker.Changes changes, ChangeTracker tracker) {
    Set<ConntrackAction> out = new TreeSet<>();
    changes
        .previousPorts()
        .forEach(
            (key, before) -> {
              for (ServicePort p : before) {
                if (p.name().protocol() == Protocol.UDP
                    && !tracker.servicePorts().containsKey(p.name())) {
                  out.add(new ConntrackAction.DeleteByDestination(p.clusterIp(), Protocol.UDP));
                }
              }
            });
    changes
        .previousEndpoints()
        .forEach(
            (key, beforeByPort) -> {
              Map<ServicePortName, List<Endpoint>> now = tracker.endpointsOfService(key);
              Set<ServicePortName> names = new TreeSet<>(beforeByPort.keySet());
              names.addAll(now.keySet());
              for (ServicePortName spn : names) {
                if (spn.protocol() != Protocol.UDP) {
                  continue;
                }
                Optional<ServicePort> svc = port(spn, tracker, changes);
                if (svc.isEmpty()) {
                  continue;
                }
                List<Endpoint> before = beforeByPort.getOrDefault(spn, List.of());
                List<Endpoint> after = now.getOrDefault(spn, List.of());
                for (Endpoint old : before) {
                  if (old.ready()
                      && after.stream()
                          .noneMatch(e -> e.toString().equals(old.toString()) && e.ready())) {
                    staleEndpoint(svc.get(), old.ip(), out);
                  }
                }
                if (before.stream().noneMatch(Endpoint::ready)
                    && after.stream().anyMatch(Endpoint::ready)) {
                  newlyActive(svc.get(), out);
                }
              }
            });
    return new ArrayList<>(out);
  }

  private static Optional<ServicePort> port(
      ServicePortName spn, ChangeTracker tracker, ChangeTracker.Changes changes) {
    ServicePort now = tracker.servicePorts().get(spn);
    if (now != null) {
      return Optional.of(now);
    }
    return changes.previousPorts().getOrDefault(spn.serviceKey(), List.of()).stream()
        .filter(p -> p.name().equals(spn))
        .findFirst();
  }

  private static void staleEndpoint(ServicePort svc, IpAddress ep, Set<ConntrackAction> out) {
    out.add(new ConntrackAction.DeleteByNat(svc.clusterIp(), ep, Protocol.UDP));
    for (IpAddress ip : svc.externalIps()) {
      out.add(new ConntrackAction.DeleteByNat(ip, ep, Protocol.UDP));
    }
    for (IpAddress ip : svc.loadBalancerVips()) {
      out.add(new ConntrackAction.DeleteByNat(ip, ep, Protocol.UDP));
    }
    if (svc.nodePort() != 0) {
      out.add(new ConntrackAction.DeleteByPortNat(svc.nodePort(), ep, Protocol.UDP));
    }
  }

  private static void newlyActive(ServicePort svc, Set<ConntrackAction> out) {
    out.add(new ConntrackAction.DeleteByDestination(svc.clusterIp(), Protocol.UDP));
    for (IpAddress ip : svc.externalIps()) {
      out.add(new ConntrackAction.DeleteByDestination(ip, Protocol.UDP));
    }
    for (IpAddress ip : svc.loadBalancerVips()) {
      out.add(new ConntrackAction.DeleteByDestination(ip, Protocol.UDP));
    }
    if (svc.nodePort() != 0) {
      out.add(new ConntrackAction.DeleteByPort(svc.nodePort(), Protocol.UDP));
    }
  }
}
