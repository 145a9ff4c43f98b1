package dev.podpath.bench.kube;

import dev.podpath.kube.scale.EndpointWatchCost;
import dev.podpath.kube.scale.EndpointWatchCost.Config;
import dev.podpath.kube.scale.EndpointWatchCost.Mode;
import dev.podpath.kube.scale.EndpointWatchCost.Phase;
import dev.podpath.kube.scale.EndpointWatchCost.Result;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scale measurement of docs/perf.md: bytes and events sent to every node's kube-proxy watch for
 * one Service of many pods, with Endpoints and with EndpointSlices.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.podpath.bench.kube.EndpointScale \
 *     [--pods 5000] [--nodes 5000] [--rolling 5000] [--max-endpoints-per-slice 100]
 *     [--modes ENDPOINTS_UNCAPPED,ENDPOINTS,ENDPOINT_SLICES]
 * </pre>
 *
 * With {@code --rolling K < pods}, K pods are replaced and the rolling-update totals are also
 * scaled to all pods (each replacement costs the same: the objects keep their size).
 */
public final class EndpointScale {

  private EndpointScale() {}

  public static void main(String[] args) {
    int pods = 5000;
    int nodes = 5000;
    int rolling = -1;
    int max = 100;
    List<Mode> modes = List.of(Mode.values());
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--modes")) {
        modes = Arrays.stream(args[i + 1].split(",")).map(Mode::valueOf).toList();
        continue;
      }
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--pods" -> pods = v;
        case "--nodes" -> nodes = v;
        case "--rolling" -> rolling = v;
        case "--max-endpoints-per-slice" -> max = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Config c = new Config(pods, nodes, max, rolling < 0 ? pods : rolling);
    System.out.printf(
        Locale.ROOT,
        "# %d pods, %d nodes (one kube-proxy watch each), %d per" + " slice, %d pods replaced%n",
        pods,
        nodes,
        max,
        c.rollingPods());
    for (Mode m : modes) {
      Result r = EndpointWatchCost.run(m, c);
      print(r);
    }
  }

  private static void print(Result r) {
    Config c = r.config();
    double scale = c.rollingPods() == 0 ? 0 : (double) c.pods() / c.rollingPods();
    Phase s = r.singleChange();
    Phase u = r.rollingUpdate();
    System.out.printf(
        Locale.ROOT, "%-16s objects=%d size=%s%n", r.mode(), r.objects(), human(r.objectBytes()));
    System.out.printf(
        Locale.ROOT,
        "  single pod change: writes=%d events=%d bytes=%s%n",
        s.writes(),
        s.events(),
        human(s.bytes()));
    System.out.printf(
        Locale.ROOT,
        "  rolling update (%d pods): writes=%d events=%d bytes=%s%n",
        c.rollingPods(),
        u.writes(),
        u.events(),
        human(u.bytes()));
    if (scale != 1 && scale != 0) {
      System.out.printf(
          Locale.ROOT,
          "  rolling update scaled to %d pods: writes=%.0f events=%.0f" + " bytes=%s%n",
          c.pods(),
          u.writes() * scale,
          u.events() * scale,
          human((long) (u.bytes() * scale)));
    }
    System.out.printf(Locale.ROOT, "  (%.1f s, CPU %.1f s)%n", r.seconds(), r.cpuSeconds());
  }

  static String human(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f %s (%d)", v, units[u], bytes);
  }
}
