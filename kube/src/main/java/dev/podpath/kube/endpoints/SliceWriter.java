package dev.podpath.kube.endpoints;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The per-address-type half of {@link EndpointSlicePlanner}: one port group at a time. */
final class SliceWriter {

  private final Service svc;
  private final String addressType;
  private final Map<String, String> labels;
  private final int max;
  private final @Nullable String triggerTime;
  private final boolean ignoreHints;
  final List<EndpointSlice> creates = new ArrayList<>();
  final List<EndpointSlice> updates = new ArrayList<>();
  final List<EndpointSlice> deletes = new ArrayList<>();

  SliceWriter(
      Service svc,
      String addressType,
      Map<String, String> labels,
      int max,
      @Nullable String triggerTime,
      boolean ignoreHints) {
    this.svc = svc;
    this.ignoreHints = ignoreHints;
    this.addressType = addressType;
    this.labels = labels;
    this.max = max;
    this.triggerTime = triggerTime;
  }

  /** A slice being built: its existing name (null when new) and endpoints. */
  private static final class Draft {
    final @Nullable EndpointSlice existing;
    final List<EndpointValue> endpoints;

    Draft(@Nullable EndpointSlice existing, List<EndpointValue> endpoints) {
      this.existing = existing;
      this.endpoints = endpoints;
    }
  }

  void reconcilePortGroup(
      List<EndpointSlice> existing,
      List<PortValue> ports,
      LinkedHashMap<String, EndpointValue> desired) {
    List<Draft> toUpdate = new ArrayList<>();
    List<Draft> unchanged = new ArrayList<>();
    // 1. keep what is still wanted, refreshed; drop the rest
    for (EndpointSlice s : existing) {
      List<EndpointValue> kept = new ArrayList<>();
      boolean changed = false;
      List<Endpoint> had = s.getEndpoints() == null ? List.of() : s.getEndpoints();
      for (Endpoint e : had) {
        EndpointValue old = EndpointValue.of(e);
        EndpointValue want = desired.remove(old.key());
        if (want == null) {
          changed = true;
        } else {
          kept.add(want);
          // with topology-aware hints they are decided afterwards, over all slices
          changed |= !want.equals(ignoreHints ? old.withHints(List.of(), List.of()) : old);
        }
      }
      boolean labelsChanged = !Objects.equals(new TreeMap<>(nullToEmpty(s)), labels);
      if (changed || kept.size() != had.size()) {
        if (kept.isEmpty()) {
          deletes.add(s);
        } else {
          toUpdate.add(new Draft(s, kept));
        }
      } else if (labelsChanged) {
        toUpdate.add(new Draft(s, kept));
      } else {
        unchanged.add(new Draft(s, kept));
      }
    }
    Iterator<EndpointValue> rest = desired.values().iterator();
    int remaining = desired.size();
    // 2. fill slices already being updated, fullest first
    toUpdate.sort(Comparator.comparingInt((Draft d) -> d.endpoints.size()).reversed());
    for (Draft d : toUpdate) {
      while (remaining > 0 && d.endpoints.size() < max) {
        d.endpoints.add(rest.next());
        remaining--;
      }
    }
    // 3. leftovers: the unchanged slice closest to full after taking them all, else new slices
    List<Draft> fresh = new ArrayList<>();
    while (remaining > 0) {
      Draft fill = null;
      if (remaining < max && !unchanged.isEmpty()) {
        fill = closestToFull(unchanged, remaining);
        if (fill != null) {
          unchanged.remove(fill);
          toUpdate.add(fill);
        }
      }
      if (fill == null) {
        fill = new Draft(null, new ArrayList<>());
        fresh.add(fill);
      }
      while (remaining > 0 && fill.endpoints.size() < max) {
        fill.endpoints.add(rest.next());
        remaining--;
      }
    }
    for (Draft d : toUpdate) {
      updates.add(updated(d.existing, ports, d.endpoints));
    }
    for (Draft d : fresh) {
      creates.add(newSlice(ports, d.endpoints));
    }
  }

  private @Nullable Draft closestToFull(List<Draft> unchanged, int count) {
    int closest = max;
    Draft best = null;
    for (Draft d : unchanged) {
      int diff = max - (count + d.endpoints.size());
      if (diff >= 0 && diff < closest) {
        closest = diff;
        best = d;
        if (diff == 0) {
          break;
        }
      }
    }
    return best;
  }

  EndpointSlice newSlice(List<PortValue> ports, List<EndpointValue> endpoints) {
    String name = svc.getMetadata().getName();
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withGenerateName(name + "-")
            .withNamespace(svc.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Service")
                    .withName(name)
                    .withUid(svc.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withAddressType(addressType)
            .withEndpoints(endpoints.stream().map(EndpointValue::toEndpoint).toList())
            .withPorts(ports.stream().map(PortValue::toPort).toList());
    EndpointSlice s = b.build();
    annotate(s);
    return s;
  }

  private EndpointSlice updated(
      @Nullable EndpointSlice existing, List<PortValue> ports, List<EndpointValue> endpoints) {
    EndpointSlice s =
        new EndpointSliceBuilder(Objects.requireNonNull(existing))
            .editMetadata()
            .withLabels(labels)
            .endMetadata()
            .withEndpoints(endpoints.stream().map(EndpointValue::toEndpoint).toList())
            .withPorts(ports.stream().map(PortValue::toPort).toList())
            .build();
    annotate(s);
    return s;
  }

  /** Sets (or removes) the trigger-time annotation of a slice about to be written. */
  void annotate(EndpointSlice s) {
    Map<String, String> ann =
        s.getMetadata().getAnnotations() == null
            ? new TreeMap<>()
            : new TreeMap<>(s.getMetadata().getAnnotations());
    if (triggerTime != null) {
      ann.put(SliceLabels.TRIGGER_TIME, triggerTime);
    } else {
      ann.remove(SliceLabels.TRIGGER_TIME);
    }
    s.getMetadata().setAnnotations(ann.isEmpty() ? null : ann);
  }

  private static Map<String, String> nullToEmpty(EndpointSlice s) {
    return s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
  }
}
