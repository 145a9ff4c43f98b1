package dev.podpath.dns.forward;

/**
 * CoreDNS cache plugin settings. Defaults ({@link #COREDNS}): 9984 entries each for successes and
 * denials, TTLs capped at 3600 s (success) and 1800 s (denial), floored at 5 s. kubeadm's {@code
 * cache 30} caps both at 30 s ({@link #kubeadm()}).
 */
public record CacheSettings(int capacity, long successMaxTtl, long denialMaxTtl, long minTtl) {

  public static final CacheSettings COREDNS = new CacheSettings(9984, 3600, 1800, 5);

  public CacheSettings {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    if (minTtl < 0 || successMaxTtl < minTtl || denialMaxTtl < minTtl) {
      throw new IllegalArgumentException("need 0 <= minTtl <= max TTLs");
    }
  }

  /** {@code cache 30}. */
  public static CacheSettings kubeadm() {
    return new CacheSettings(9984, 30, 30, 5);
  }
}
