package dev.podpath.kernel.walk;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.Packet;
import dev.podpath.net.trace.Fate;
import dev.podpath.net.trace.Trace;
import java.util.Optional;

/**
 * The end of one packet's walk: its trace and fate; where it was delivered; the packet the receiver
 * (a socket, the kernel's TCP or ICMP, a REJECT rule) sends back and from which namespace; and
 * whether the packet was itself the answer a probe's client waited for.
 */
public record Journey(
    Trace trace,
    Fate fate,
    Optional<Delivery> delivery,
    Optional<Packet> response,
    Optional<NetNamespace> responder,
    boolean answered) {}
