package dev.podpath.kernel.ipvs;

import dev.podpath.net.IpAddress;

/** A real server of one service, with its live connection counts ({@code struct ip_vs_dest}). */
final class RealServer {
  final IpAddress address;
  final int port;
  ForwardMethod method;
  int weight;
  int upperThreshold;
  int lowerThreshold;
  int active;
  int inactive;

  /** Removed from its service; connections still bound to it keep it alive (the trash list). */
  boolean removed;

  RealServer(IpAddress address, int port, ForwardMethod method, int weight) {
    this.address = address;
    this.port = port;
    this.method = method;
    this.weight = weight;
  }

  /** Whether the scheduler may pick it: weight above zero, under its upper threshold. */
  boolean available() {
    return !removed && weight > 0 && (upperThreshold == 0 || active + inactive < upperThreshold);
  }

  Destination view() {
    return new Destination(
        address, port, method, weight, active, inactive, upperThreshold, lowerThreshold);
  }

  String endpoint() {
    return view().endpoint();
  }
}
