package dev.podpath.dns.server;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's memory of its own wire answers, keyed by the query's bytes after the message ID
 * (flags, counts, question, EDNS record) and the transport. Cluster answers are a pure function of
 * the record index, so an answer is kept until the cluster changes ({@link
 * ClusterDns#generation()}); answers that asked an upstream are never kept. Bounded: when it holds
 * {@code capacity} entries or 64 MiB it starts over, so a flood of random names costs at most that.
 */
final class AnswerMemo {

  private record Key(byte[] bytes, boolean tcp) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.tcp == tcp && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes) * 31 + (tcp ? 1 : 0);
    }

    @Override
    public String toString() {
      return "Key[" + bytes.length + " bytes, tcp=" + tcp + "]";
    }
  }

  private final int capacity;
  private final ConcurrentHashMap<Key, byte[]> answers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong bytes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile long generation = -1;
  private static final long MAX_BYTES = 64L << 20;

  AnswerMemo(int capacity) {
    this.capacity = capacity;
  }

  /** The remembered answer to {@code query} with its ID, if any for {@code currentGeneration}. */
  Optional<byte[]> get(byte[] query, boolean tcp, long currentGeneration) {
    if (capacity == 0 || !cacheableQuery(query)) {
      return Optional.empty();
    }
    if (generation != currentGeneration) {
      answers.clear();
      bytes.set(0);
      generation = currentGeneration;
      return Optional.empty();
    }
    byte[] stored = answers.get(key(query, tcp));
    if (stored == null) {
      return Optional.empty();
    }
    byte[] out = stored.clone();
    out[0] = query[0];
    out[1] = query[1];
    return Optional.of(out);
  }

  /** Remembers {@code response} to {@code query}, computed at {@code answeredGeneration}. */
  void put(byte[] query, boolean tcp, byte[] response, long answeredGeneration) {
    if (capacity == 0 || !cacheableQuery(query) || answeredGeneration != generation) {
      return;
    }
    if (answers.size() >= capacity || bytes.get() > MAX_BYTES) {
      answers.clear();
      bytes.set(0);
    }
    bytes.addAndGet(query.length + response.length + 64L);
    answers.put(key(query, tcp), response.clone());
  }

  int size() {
    return answers.size();
  }

  /** Standard queries with one question and nothing in answer/authority. */
  private static boolean cacheableQuery(byte[] q) {
    return q.length >= 12
        && (q[2] & 0xf8) == 0
        && q[4] == 0
        && q[5] == 1
        && q[6] == 0
        && q[7] == 0
        && q[8] == 0
        && q[9] == 0
        && q.length <= 512;
  }

  private static Key key(byte[] query, boolean tcp) {
    return new Key(Arrays.copyOfRange(query, 2, query.length), tcp);
  }
}
