package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a slice as a comparable value. Its identity ({@link #key()}) is the address,
 * hostname and target Pod's namespace/name; everything else may change in place.
 */
public record EndpointValue(
    String address,
    @Nullable String hostname,
    @Nullable String nodeName,
    @Nullable String zone,
    @Nullable Boolean ready,
    @Nullable Boolean serving,
    @Nullable Boolean terminating,
    @Nullable String refNamespace,
    @Nullable String refName,
    @Nullable String refUid,
    List<String> zoneHints,
    List<String> nodeHints) {

  public EndpointValue {
    zoneHints = List.copyOf(zoneHints);
    nodeHints = List.copyOf(nodeHints);
  }

  /** The identity of the endpoint (spec §2.7). */
  public String key() {
    return address
        + "|"
        + Objects.toString(hostname, "")
        + "|"
        + Objects.toString(refNamespace, "")
        + "/"
        + Objects.toString(refName, "");
  }

  /** Whether consumers treat it as ready (nil reads as ready). */
  public boolean isReady() {
    return ready == null || ready;
  }

  public EndpointValue withHints(List<String> zones, List<String> nodes) {
    return new EndpointValue(
        address,
        hostname,
        nodeName,
        zone,
        ready,
        serving,
        terminating,
        refNamespace,
        refName,
        refUid,
        zones,
        nodes);
  }

  public static EndpointValue of(Endpoint e) {
    String addr =
        e.getAddresses() == null || e.getAddresses().isEmpty() ? "" : e.getAddresses().getFirst();
    var c = e.getConditions();
    ObjectReference ref = e.getTargetRef();
    List<String> zones = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    if (e.getHints() != null) {
      if (e.getHints().getForZones() != null) {
        e.getHints().getForZones().forEach(z -> zones.add(z.getName()));
      }
      if (e.getHints().getForNodes() != null) {
        e.getHints().getForNodes().forEach(n -> nodes.add(n.getName()));
      }
    }
    return new EndpointValue(
        addr,
        e.getHostname(),
        e.getNodeName(),
        e.getZone(),
        c == null ? null : c.getReady(),
        c == null ? null : c.getServing(),
        c == null ? null : c.getTerminating(),
        ref == null ? null : ref.getNamespace(),
        ref == null ? null : ref.getName(),
        ref == null ? null : ref.getUid(),
        zones,
        nodes);
  }

  /** The fabric8 endpoint. */
  public Endpoint toEndpoint() {
    EndpointBuilder b =
        new EndpointBuilder()
            .withAddresses(address)
            .withHostname(hostname)
            .withNodeName(nodeName)
            .withZone(zone)
            .withNewConditions()
            .withReady(ready)
            .withServing(serving)
            .withTerminating(terminating)
            .endConditions();
    if (refName != null) {
      b.withTargetRef(
          new ObjectReferenceBuilder()
              .withKind("Pod")
              .withNamespace(refNamespace)
              .withName(refName)
              .withUid(refUid)
              .build());
    }
    if (!zoneHints.isEmpty() || !nodeHints.isEmpty()) {
      EndpointHints h = new EndpointHints();
      h.setForZones(zoneHints.stream().map(ForZone::new).toList());
      if (!nodeHints.isEmpty()) {
        h.setForNodes(nodeHints.stream().map(ForNode::new).toList());
      }
      b.withHints(h);
    }
    return b.build();
  }
}
