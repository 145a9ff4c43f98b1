package dev.podpath.shell.sysctl;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.Sysctls;
import dev.podpath.shell.ToolResult;
import java.util.List;

/**
 * The {@code /proc/sys} files of a namespace: {@code cat FILE…} and a shell's {@code echo V >
 * FILE}.
 */
public final class ProcSys {

  private static final String ROOT = "/proc/sys/";

  private ProcSys() {}

  /** {@code cat /proc/sys/…}. */
  public static ToolResult cat(NetNamespace ns, List<String> argv) {
    var out = new StringBuilder();
    var err = new StringBuilder();
    int rc = 0;
    for (String path : argv.subList(1, argv.size())) {
      if (path.startsWith("-")) {
        continue;
      }
      String norm = normalizePath(path);
      if (!norm.startsWith(ROOT)) {
        err.append("cat: ").append(path).append(": only /proc/sys/... can be read in a lab\n");
        rc = 1;
        continue;
      }
      var v = ns.sysctls().find(Sysctls.normalize(norm));
      if (v.isEmpty()) {
        err.append("cat: ").append(path).append(": No such file or directory\n");
        rc = 1;
        continue;
      }
      out.append(v.get()).append('\n');
    }
    return new ToolResult(rc, out.toString(), err.toString());
  }

  /** {@code echo VALUE > /proc/sys/…} (append is the same: a sysctl file takes one value). */
  public static ToolResult write(NetNamespace ns, String path, String content, boolean append) {
    String norm = normalizePath(path);
    if (!norm.startsWith(ROOT)) {
      return ToolResult.error(
          1, "sh: 1: cannot create " + path + ": only /proc/sys/... can be written in a lab");
    }
    String key = Sysctls.normalize(norm);
    if (ns.sysctls().find(key).isEmpty()) {
      return ToolResult.error(2, "sh: 1: cannot create " + path + ": Directory nonexistent");
    }
    try {
      ns.sysctls().set(key, content.strip());
    } catch (KernelException | IllegalArgumentException e) {
      return ToolResult.error(1, "sh: 1: echo: echo: I/O error");
    }
    return ToolResult.ok();
  }

  static String normalizePath(String path) {
    String p = path.replaceAll("/+", "/");
    while (p.contains("/./")) {
      p = p.replace("/./", "/");
    }
    return p;
  }
}
