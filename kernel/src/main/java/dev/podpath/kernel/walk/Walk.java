package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.path.PacketContext;
import dev.podpath.net.Chooser;
import dev.podpath.net.Packet;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Hop;
import dev.podpath.net.trace.Step;
import dev.podpath.net.trace.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One packet's journey in progress: the hops recorded so far (one per stay in a namespace), the
 * packet context of the current stay, frames carried inside a VXLAN tunnel, and, once it ends, its
 * fate, where it was delivered and the answer the receiver generated.
 */
final class Walk {

  /** A frame inside a VXLAN packet, with its VNI. */
  record Encapsulated(int vni, Frame frame) {}

  /** More namespace stays than this means a loop; the walk ends. */
  static final int MAX_STAYS = 128;

  final Chooser chooser;
  final Optional<Expectation> expectation;
  final Deque<Encapsulated> tunnel = new ArrayDeque<>();
  private final List<Hop> hops = new ArrayList<>();
  private @Nullable NetNamespace current;
  private List<Step> steps = new ArrayList<>();
  private @Nullable PacketContext ctx;
  private int stays;

  private @Nullable Fate fate;
  private @Nullable Delivery delivery;
  private @Nullable Packet response;
  private @Nullable NetNamespace responder;
  private boolean answered;

  Walk(Chooser chooser, Optional<Expectation> expectation) {
    this.chooser = chooser;
    this.expectation = expectation;
  }

  /** Continues in {@code ns}: a new hop unless the walk is already there. */
  boolean enter(NetNamespace ns) {
    if (ns != current) {
      flushContext();
      finishHop();
      current = ns;
      steps = new ArrayList<>();
      return ++stays <= MAX_STAYS;
    }
    return true;
  }

  /** A fresh packet context in {@code ns}; walker steps go into it from now on. */
  PacketContext context(NetNamespace ns, Packet p) {
    flushContext();
    enter(ns);
    ctx = new PacketContext(ns, p, chooser);
    return ctx;
  }

  void step(Step s) {
    if (ctx != null) {
      ctx.addStep(s);
    } else {
      steps.add(s);
    }
  }

  private void flushContext() {
    if (ctx != null) {
      steps.addAll(ctx.steps());
      ctx = null;
    }
  }

  private void finishHop() {
    if (current != null) {
      hops.add(new Hop(current.hostName(), current.name(), steps));
    }
  }

  boolean ended() {
    return fate != null;
  }

  /** Ends the walk with a fate, recording why when the packet was lost. */
  void end(Fate f, String reason) {
    if (fate != null) {
      return;
    }
    if (f != Fate.DELIVERED) {
      step(new Step.Drop(reason));
    }
    fate = f;
  }

  void deliver(Delivery d, @Nullable Packet answer, NetNamespace at) {
    delivery = d;
    respond(answer, at);
    end(Fate.DELIVERED, "");
  }

  void respond(@Nullable Packet answer, NetNamespace at) {
    response = answer;
    responder = at;
  }

  void answered() {
    answered = true;
    fate = Fate.DELIVERED;
  }

  Journey finish() {
    flushContext();
    finishHop();
    current = null;
    var f = fate == null ? Fate.DROPPED : fate;
    return new Journey(
        new Trace(hops, f),
        f,
        Optional.ofNullable(delivery),
        Optional.ofNullable(response),
        Optional.ofNullable(responder),
        answered);
  }
}
