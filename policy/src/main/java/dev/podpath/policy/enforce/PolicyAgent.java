package dev.podpath.policy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.policy.load.ClusterLoader;
import dev.podpath.policy.load.DumpObject;
import dev.podpath.policy.load.InputException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node's NetworkPolicy agent, organised as kube-proxy is: watch, track, sync. Watch handlers only
 * record the changed object (Pods, Namespaces, NetworkPolicies) in a tracker; {@link #sync()} folds
 * the pending changes into the current state, compiles the node's ruleset and applies it through
 * {@link Iptables} only when it differs from what was last applied.
 */
public final class PolicyAgent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final Iptables iptables;
  private final Map<String, DumpObject> current = new TreeMap<>();
  private final Map<String, Optional<DumpObject>> pending = new TreeMap<>();
  private Set<String> appliedChains = Set.of();
  private String appliedText = "";
  private int syncs;
  private final List<String> errors = new ArrayList<>();

  public PolicyAgent(String node, Iptables iptables) {
    this.node = node;
    this.iptables = iptables;
  }

  /** Opens watches on Pods, Namespaces and NetworkPolicies of the store (list, then changes). */
  public void attach(ApiStore store) {
    for (Kind kind : List.of(Kind.NAMESPACE, Kind.POD, Kind.NETWORK_POLICY)) {
      store.watch(
          "policy-agent-" + node,
          kind,
          null,
          Selector.everything(),
          FieldSelector.everything(),
          Optional.empty(),
          this::onEvent);
    }
  }

  /** Records one watch event; nothing is programmed until {@link #sync()}. */
  public void onEvent(WatchEvent e) {
    if (e.type() == WatchEvent.Type.DELETED) {
      onDelete(e.object());
    } else {
      onUpsert(e.object());
    }
  }

  public void onUpsert(HasMetadata object) {
    pending.put(
        key(object), Optional.of(new DumpObject("watch " + key(object), JSON.valueToTree(object))));
  }

  public void onDelete(HasMetadata object) {
    pending.put(key(object), Optional.empty());
  }

  private static String key(HasMetadata o) {
    String ns = o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
    return o.getKind() + "/" + ns + "/" + o.getMetadata().getName();
  }

  /**
   * Applies the pending changes: recompiles the node's rules and, if they changed, ensures the
   * jumps and restores the chains (stale chains deleted). Returns whether anything was applied. A
   * policy the compiler rejects leaves the previous rules in place and is reported.
   */
  public boolean sync() {
    if (pending.isEmpty() && syncs > 0) {
      return false;
    }
    var next = new TreeMap<>(current);
    pending.forEach(
        (k, v) -> {
          if (v.isPresent()) {
            next.put(k, v.get());
          } else {
            next.remove(k);
          }
        });
    pending.clear();
    current.clear();
    current.putAll(next);
    syncs++;
    NodeRuleset rs;
    try {
      rs =
          RuleCompiler.compile(
              ClusterLoader.build(new ArrayList<>(current.values())), node, appliedChains);
    } catch (InputException e) {
      errors.add(e.getMessage());
      return false;
    }
    if (rs.restore().equals(appliedText)) {
      return false;
    }
    // The chains must exist before a jump can point at them.
    iptables.restoreNoFlush(rs.restore());
    rs.jumps().forEach(iptables::ensureFirst);
    appliedText = rs.restore();
    appliedChains = rs.chains();
    return true;
  }

  /** Objects the agent could not compile (the rules in place were kept). */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** The restore text last applied (empty before the first sync). */
  public String applied() {
    return appliedText;
  }
}
