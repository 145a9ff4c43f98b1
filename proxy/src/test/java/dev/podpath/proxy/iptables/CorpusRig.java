package dev.podpath.proxy.iptables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podpath.net.IpAddress;
import dev.podpath.net.IpFamily;
import dev.podpath.net.IpPrefix;
import dev.podpath.net.VirtualClock;
import dev.podpath.proxy.ChangeTracker;
import dev.podpath.proxy.config.LocalDetector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's fake proxier, rebuilt from a case's {@code proxier:} block: the options, a {@link
 * FakeIptables}, a tracker and a clock, and the case's actions applied to them.
 */
final class CorpusRig {

  final IptablesOptions options;
  final FakeIptables iptables;
  final ChangeTracker tracker;
  final VirtualClock clock = new VirtualClock();
  final IptablesProxier proxier;
  final Set<IpAddress> tracerLocalIps = new HashSet<>();

  CorpusRig(JsonNode p) {
    IpFamily family = p.path("ip_family").asText().equals("IPv6") ? IpFamily.IPV6 : IpFamily.IPV4;
    List<IpAddress> local = new ArrayList<>();
    p.path("interface_addresses")
        .forEach(
            dev ->
                dev.forEach(
                    a -> {
                      IpPrefix prefix = IpPrefix.parse(a.asText());
                      if (prefix.family() == family) {
                        local.add(prefix.address());
                      }
                    }));
    List<IpPrefix> npa = new ArrayList<>();
    p.path("node_port_addresses")
        .forEach(
            c -> {
              IpPrefix prefix = IpPrefix.parse(c.asText());
              if (prefix.family() == family) {
                npa.add(prefix);
              }
            });
    Set<String> nfacct = new HashSet<>();
    p.path("nfacct_counters").forEach(c -> nfacct.add(c.asText()));
    LocalDetector detector =
        p.path("local_detector").asText().equals("NoOp")
            ? new LocalDetector.NoOp()
            : new LocalDetector.ByCidr(IpPrefix.parse(p.path("local_detector_cidr").asText()));
    Duration syncPeriod =
        p.path("sync_period").isTextual()
            ? Duration.ofSeconds(Long.parseLong(p.path("sync_period").asText().replace("s", "")))
            : Duration.ofSeconds(30);
    options =
        new IptablesOptions(
            family,
            p.path("node_name").asText(),
            IpAddress.parse(p.path("node_ip").asText()),
            local,
            detector,
            p.path("masquerade_all").asBoolean(),
            p.path("masquerade_mark").asText(),
            npa,
            p.path("localhost_nodeports").asBoolean(),
            nfacct,
            p.path("conntrack_tcp_liberal").asBoolean(),
            true,
            syncPeriod);
    iptables = new FakeIptables(family, p.path("iptables_has_random_fully").asBoolean());
    tracker = new ChangeTracker(family, options.nodeName());
    proxier = new IptablesProxier(options, tracker, iptables, clock);
    p.path("tracer_local_ips").forEach(a -> tracerLocalIps.add(IpAddress.parse(a.asText())));
  }

  void add(JsonNode object) {
    switch (object.path("kind").asText()) {
      case "Service" -> tracker.onService(Corpus.YAML.convertValue(object, Service.class));
      case "EndpointSlice" ->
          tracker.onEndpointSlice(Corpus.YAML.convertValue(object, EndpointSlice.class));
      default -> throw new IllegalArgumentException("kind: " + object.path("kind").asText());
    }
  }

  void delete(JsonNode object) {
    String ns = object.path("metadata").path("namespace").asText();
    String name = object.path("metadata").path("name").asText();
    switch (object.path("kind").asText()) {
      case "Service" -> tracker.onServiceDeleted(ns, name);
      case "EndpointSlice" -> tracker.onEndpointSliceDeleted(ns, name);
      default -> throw new IllegalArgumentException("kind: " + object.path("kind").asText());
    }
  }

  /** Applies one step action (not the sync). */
  void apply(JsonNode action) {
    switch (action.path("action").asText()) {
      case "add", "update" -> add(action.path("object"));
      case "delete" -> delete(action.path("object"));
      case "inject-live-rule" -> {
        String rule = action.path("rule").asText();
        int sp = rule.indexOf(' ', 3);
        iptables.appendRule(
            action.path("table").asText(), rule.substring(3, sp), rule.substring(sp + 1));
      }
      case "set-last-iptables-cleanup" -> {
        String v = action.path("value").asText();
        long now = clock.nanos();
        proxier.setLastCleanup(v.equals("now") ? now : now - options.syncPeriod().toNanos() - 1);
      }
      default -> throw new IllegalArgumentException("action: " + action.path("action").asText());
    }
  }
}
