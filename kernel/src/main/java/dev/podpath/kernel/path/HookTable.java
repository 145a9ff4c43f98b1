package dev.podpath.kernel.path;

import dev.podpath.net.trace.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The functions registered at each hook of one network namespace, run in priority order. With
 * iptables and conntrack loaded, the IPv4 path of a namespace is:
 *
 * <pre>
 *  in link ─▶ PREROUTING ─▶ routing ─┬─▶ INPUT ─▶ socket
 *            raw      -300           │   mangle   -150
 *            conntrack-200           │   filter      0
 *            mangle   -150           │   security   50
 *            nat(DNAT)-100           │   IPVS       98
 *                                    │   nat(SNAT) 100
 *                                    │   confirm   MAX
 *                                    └─▶ FORWARD ─▶ POSTROUTING ─▶ out link
 *                                        mangle -150   mangle    -150
 *                                        filter    0   nat(SNAT)  100
 *                                        security 50   confirm    MAX
 *  socket ─▶ OUTPUT: raw -300, conntrack -200, mangle -150, nat(DNAT) -100, IPVS -98,
 *            filter 0, security 50 ─▶ routing again if the destination changed ─▶ POSTROUTING
 * </pre>
 *
 * Registration order breaks ties, as in the kernel.
 */
public final class HookTable {

  /** A registered function ({@code struct nf_hook_ops}). */
  public record Registration(Hook hook, int priority, String name, HookFunction function) {}

  private final Map<Hook, List<Registration>> byHook = new EnumMap<>(Hook.class);

  public HookTable() {
    for (Hook h : Hook.values()) {
      byHook.put(h, new ArrayList<>());
    }
  }

  /** Registers {@code function} at {@code hook} with the kernel priority {@code priority}. */
  public void register(Hook hook, int priority, String name, HookFunction function) {
    var list = byHook.get(hook);
    list.add(new Registration(hook, priority, name, function));
    list.sort(Comparator.comparingInt(Registration::priority)); // stable: ties keep order
  }

  /** The registrations at a hook, in the order they run. */
  public List<Registration> registrations(Hook hook) {
    return List.copyOf(byHook.get(hook));
  }

  /** Runs the hook: each function in turn until one does not accept. */
  public Verdict run(Hook hook, PacketContext packet) {
    packet.setHook(hook);
    packet.addStep(new Step.HookEntered(hook.name()));
    try {
      for (var r : byHook.get(hook)) {
        Verdict v = r.function().process(packet);
        if (!(v instanceof Verdict.Accept)) {
          return v;
        }
      }
      return Verdict.ACCEPT;
    } finally {
      packet.setHook(null);
    }
  }
}
