package dev.podpath.proxy.iptables;

import dev.podpath.net.IpFamily;
import java.util.List;
import java.util.Set;

/**
 * The seam between kube-proxy and the kernel's iptables (upstream's {@code pkg/util/iptables}
 * {@code Interface}), as narrow as kube-proxy uses it. {@link FakeIptables} is the in-memory
 * implementation with {@code iptables-restore --noflush} semantics.
 */
public interface Iptables {

  /** Where {@link #ensureRule} puts a rule that is not there yet. */
  enum Position {
    PREPEND,
    APPEND
  }

  IpFamily family();

  /** Whether {@code MASQUERADE --random-fully} is available. */
  boolean hasRandomFully();

  /** Whether nfacct objects can be made, so that {@code -m nfacct} rules load. */
  default boolean supportsNfacct() {
    return true;
  }

  /** Creates a chain unless it exists; returns whether it existed. */
  boolean ensureChain(String table, String chain);

  /**
   * Adds a rule (its arguments, without {@code -A CHAIN}) unless present; returns whether it was.
   */
  boolean ensureRule(Position position, String table, String chain, List<String> args);

  /** The names of the chains of a table (what {@code iptables-save -t TABLE} declares). */
  Set<String> chains(String table);

  /** {@code iptables-save -t TABLE}. */
  String save(String table);

  /**
   * {@code iptables-restore --noflush --counters}: each table is applied whole or not at all.
   *
   * @throws RestoreException naming the failing line, after earlier tables were committed
   */
  void restore(String text) throws RestoreException;

  /** An {@code iptables-restore} failure; the failing table is left as it was. */
  final class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    public RestoreException(int line, String message) {
      super("iptables-restore: line " + line + " failed: " + message);
      this.line = line;
    }

    /** The 1-based line of the restore input that failed. */
    public int line() {
      return line;
    }
  }
}
