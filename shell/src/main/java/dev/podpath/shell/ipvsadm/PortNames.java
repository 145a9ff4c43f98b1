package dev.podpath.shell.ipvsadm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code getservbyport} over a stock Debian {@code /etc/services} (the file the iptables codec
 * reads), as ipvsadm's {@code port_to_anyname} uses it without {@code -n}: the first name for the
 * port and protocol ({@code tcp} for TCP, {@code udp} otherwise), else the number.
 */
final class PortNames {

  private static final Map<String, String> FIRST = load();

  private PortNames() {}

  static String of(int port, boolean tcp) {
    return Optional.ofNullable(FIRST.get(port + "/" + (tcp ? "tcp" : "udp")))
        .orElse(Integer.toString(port));
  }

  private static Map<String, String> load() {
    try (InputStream in =
        PortNames.class.getResourceAsStream("/dev/podpath/shell/iptables/services")) {
      if (in == null) {
        throw new IllegalStateException("resource dev/podpath/shell/iptables/services is missing");
      }
      Map<String, String> first = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        first.putIfAbsent(f[1] + "/" + f[2], f[0]);
      }
      return Map.copyOf(first);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
