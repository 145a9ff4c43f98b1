package dev.podpath.kernel.walk;

import dev.podpath.kernel.link.MacAddress;
import dev.podpath.net.Packet;

/** An Ethernet frame carrying an IP packet. */
record Frame(MacAddress src, MacAddress dst, Packet packet) {

  Frame withPacket(Packet p) {
    return new Frame(src, dst, p);
  }

  Frame withDst(MacAddress mac) {
    return new Frame(src, mac, packet);
  }
}
