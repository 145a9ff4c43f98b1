package dev.podpath.kernel.netfilter;

import static dev.podpath.kernel.netfilter.Pk.replyTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kernel.conntrack.ConntrackRecord;
import dev.podpath.net.Ipv4Address;
import dev.podpath.net.Packet;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Through DNAT and MASQUERADE (the router of {@link NatTest}), however many clients share source
 * ports: every connection gets a reply tuple of its own, and every reply is translated back to
 * exactly the client's packet, reversed.
 */
class NatProperties {

  @Property(tries = 100)
  void repliesFindTheirWayBackAndReplyTuplesAreUnique(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 3) Integer> clients,
      @ForAll @Size(min = 30, max = 30) List<@IntRange(min = 1, max = 3) Integer> ports) {
    Harness h = NatTest.router();
    for (int i = 0; i < clients.size(); i++) {
      Packet out =
          Packet.udp(
              new Ipv4Address(0x0a010002 + clients.get(i)),
              5000 + ports.get(i),
              Pk.ip("10.1.0.1"),
              5353);
      var there = h.forward(out, "rc", "rs");
      assertThat(there.packet().src()).isEqualTo(Pk.ip("10.2.0.1"));
      var back = h.forward(replyTo(there.packet()), "rs", "rc");
      assertThat(back.packet()).isEqualTo(replyTo(out));
    }
    List<ConntrackRecord> entries = h.nf.conntrack().list();
    var replies = new HashSet<>();
    entries.forEach(
        e -> assertThat(replies.add(e.reply())).as("unique reply tuple %s", e).isTrue());
    long distinctFlows =
        java.util.stream.IntStream.range(0, clients.size())
            .mapToObj(i -> clients.get(i) + ":" + ports.get(i))
            .distinct()
            .count();
    assertThat(entries).hasSize((int) distinctFlows);
  }
}
