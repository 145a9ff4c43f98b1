package dev.podpath.shell.ip;

import dev.podpath.net.IpFamily;
import java.util.Optional;

/**
 * The global options of {@code ip} that shape output.
 *
 * @param family {@code -4} or {@code -6}
 * @param brief {@code -br}
 * @param details {@code -d}
 */
record IpOptions(Optional<IpFamily> family, boolean brief, boolean details) {

  static IpOptions none() {
    return new IpOptions(Optional.empty(), false, false);
  }

  boolean shows(IpFamily f) {
    return family.map(x -> x == f).orElse(true);
  }
}
