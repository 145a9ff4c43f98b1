package dev.podpath.proxy.ipvs;

import static dev.podpath.proxy.ipvs.IpSets.CLUSTER_IP;
import static dev.podpath.proxy.ipvs.IpSets.EXTERNAL_IP;
import static dev.podpath.proxy.ipvs.IpSets.EXTERNAL_IP_LOCAL;
import static dev.podpath.proxy.ipvs.IpSets.HEALTH_CHECK_NODE_PORT;
import static dev.podpath.proxy.ipvs.IpSets.IPVS_IPS;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER_FW;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER_LOCAL;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER_SOURCE_CIDR;
import static dev.podpath.proxy.ipvs.IpSets.LOAD_BALANCER_SOURCE_IP;
import static dev.podpath.proxy.ipvs.IpSets.LOOP_BACK;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_LOCAL_SCTP;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_LOCAL_TCP;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_LOCAL_UDP;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_SCTP;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_TCP;
import static dev.podpath.proxy.ipvs.IpSets.NODE_PORT_UDP;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import dev.podpath.proxy.Endpoint;
import dev.podpath.proxy.EndpointCategories;
import dev.podpath.proxy.ServicePort;
import dev.podpath.proxy.ServicePortName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The pure part of kube-proxy's IPVS mode (upstream's IPVS {@code syncProxyRules}): from service
 * ports and endpoints to an {@link IpvsPlan}. One virtual service per cluster IP, external IP and
 * load-balancer IP, and per node address for node ports, each with the configured scheduler,
 * persistence for ClientIP affinity and weight-1 masquerading real servers; the cluster, external
 * and LB addresses bound to {@code kube-ipvs0} (unless already on another interface); the ipsets;
 * and the small iptables ruleset that matches those sets.
 */
public final class IpvsPlanner {

  /** The dummy interface service addresses are bound to. */
  public static final String DUMMY_DEVICE = "kube-ipvs0";

  private final IpvsOptions options;

  public IpvsPlanner(IpvsOptions options) {
    this.options = options;
  }

  /**
   * Plans one sync over {@code ports} (sorted) and their endpoints, on a node whose own addresses
   * (read from its kernel at the start of the sync) are {@code node}.
   */
  public IpvsPlan plan(
      SortedMap<ServicePortName, ServicePort> ports,
      Function<ServicePortName, List<Endpoint>> endpoints,
      NodeAddresses node) {
    var sets = new IpSets(options.family());
    SortedMap<VirtualServer, List<RealServer>> services = new TreeMap<>();
    var bound = new TreeSet<IpAddress>();
    boolean hasNodePort = ports.values().stream().anyMatch(p -> p.nodePort() != 0);
    Collection<IpAddress> nodeIps = hasNodePort ? node.nodePortIps() : List.of();
    for (ServicePort svc : ports.values()) {
      List<Endpoint> eps = endpoints.apply(svc.name());
      var cats = EndpointCategories.of(svc, eps);
      String proto = svc.name().protocolName();
      String port = Integer.toString(svc.port());
      for (Endpoint ep : eps) {
        if (ep.local()) {
          sets.add(LOOP_BACK, ep.ip() + "," + proto + ":" + ep.port() + "," + ep.ip());
        }
      }
      sets.add(CLUSTER_IP, svc.clusterIp() + "," + proto + ":" + port);
      services.put(
          server(svc, svc.clusterIp(), svc.port()), reals(cats, svc.internalPolicyLocal()));
      bound.add(svc.clusterIp());
      for (IpAddress ip : svc.externalIps()) {
        sets.add(
            svc.externalPolicyLocal() ? EXTERNAL_IP_LOCAL : EXTERNAL_IP,
            ip + "," + proto + ":" + port);
        services.put(server(svc, ip, svc.port()), reals(cats, svc.externalPolicyLocal()));
        if (!node.local().contains(ip)) {
          bound.add(ip);
        }
      }
      for (IpAddress ip : svc.loadBalancerVips()) {
        String entry = ip + "," + proto + ":" + port;
        sets.add(LOAD_BALANCER, entry);
        if (svc.externalPolicyLocal()) {
          sets.add(LOAD_BALANCER_LOCAL, entry);
        }
        if (!svc.loadBalancerSourceRanges().isEmpty()) {
          sets.add(LOAD_BALANCER_FW, entry);
          boolean allowFromNode = false;
          for (IpPrefix src : svc.loadBalancerSourceRanges()) {
            sets.add(LOAD_BALANCER_SOURCE_CIDR, entry + "," + src);
            allowFromNode |= src.contains(options.nodeIp());
          }
          if (allowFromNode) {
            sets.add(LOAD_BALANCER_SOURCE_IP, entry + "," + ip);
          }
        }
        services.put(server(svc, ip, svc.port()), reals(cats, svc.externalPolicyLocal()));
        if (!node.local().contains(ip)) {
          bound.add(ip);
        }
      }
      if (svc.nodePort() != 0 && !nodeIps.isEmpty()) {
        String np = Integer.toString(svc.nodePort());
        switch (svc.name().protocol()) {
          case TCP -> {
            sets.add(NODE_PORT_TCP, np);
            if (svc.externalPolicyLocal()) {
              sets.add(NODE_PORT_LOCAL_TCP, np);
            }
          }
          case UDP -> {
            sets.add(NODE_PORT_UDP, np);
            if (svc.externalPolicyLocal()) {
              sets.add(NODE_PORT_LOCAL_UDP, np);
            }
          }
          default -> {
            for (IpAddress ip : nodeIps) {
              sets.add(NODE_PORT_SCTP, ip + "," + proto + ":" + np);
              if (svc.externalPolicyLocal()) {
                sets.add(NODE_PORT_LOCAL_SCTP, ip + "," + proto + ":" + np);
              }
            }
          }
        }
        for (IpAddress ip : nodeIps) {
          services.put(server(svc, ip, svc.nodePort()), reals(cats, svc.externalPolicyLocal()));
        }
      }
      if (svc.healthCheckNodePort() != 0) {
        sets.add(HEALTH_CHECK_NODE_PORT, Integer.toString(svc.healthCheckNodePort()));
      }
    }
    bound.forEach(ip -> sets.add(IPVS_IPS, ip.toString()));
    String restore = new IpvsIptablesRules(options, sets).restoreText();
    return new IpvsPlan(services, bound, sets.toList(), restore);
  }

  private VirtualServer server(ServicePort svc, IpAddress ip, int port) {
    return new VirtualServer(
        ip, svc.name().protocol(), port, options.scheduler(), svc.affinitySeconds());
  }

  /** Real servers: local endpoints when only local ones may be used and there are some. */
  private static List<RealServer> reals(EndpointCategories cats, boolean onlyLocal) {
    List<Endpoint> chosen = onlyLocal && !cats.local().isEmpty() ? cats.local() : cats.cluster();
    List<RealServer> out = new ArrayList<>();
    for (Endpoint e : new TreeSet<>(chosen)) {
      out.add(new RealServer(e.ip(), e.port(), 1));
    }
    out.sort(null);
    return List.copyOf(out);
  }
}
