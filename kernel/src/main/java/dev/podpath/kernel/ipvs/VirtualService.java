package dev.podpath.kernel.ipvs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A virtual service with its real servers and its scheduler's state ({@code struct ip_vs_service}).
 */
final class VirtualService {
  final ServiceKey key;
  Scheduler scheduler;
  Optional<Integer> persistence;
  int persistenceMask;
  final List<RealServer> servers = new ArrayList<>();

  /** rr and wrr: the index of the server picked last (-1: none yet). */
  int last = -1;

  /** wrr: the current weight. */
  int currentWeight;

  VirtualService(
      ServiceKey key, Scheduler scheduler, Optional<Integer> persistence, int persistenceMask) {
    this.key = key;
    this.scheduler = scheduler;
    this.persistence = persistence;
    this.persistenceMask = persistenceMask;
  }

  ServiceInfo view() {
    return new ServiceInfo(
        key,
        scheduler.word(),
        persistence,
        persistenceMask,
        servers.stream().map(RealServer::view).toList());
  }

  /** Scheduler state, for rolling back an exploration. */
  int[] saveState() {
    return new int[] {last, currentWeight};
  }

  void restoreState(int[] s) {
    last = s[0];
    currentWeight = s[1];
  }
}
