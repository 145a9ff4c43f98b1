package dev.podpath.shell.sysctl;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.kernel.Sysctls;
import dev.podpath.shell.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sysctl [-n] [-q] [-w] KEY[=VALUE]… | -a} from procps-ng 4 over a namespace's sysctls. Keys
 * may be written with dots or slashes; a word with {@code =} writes (with or without {@code -w}),
 * as procps-ng does.
 */
public final class SysctlTool {

  private SysctlTool() {}

  public static ToolResult run(NetNamespace ns, List<String> argv) {
    boolean valuesOnly = false;
    boolean quiet = false;
    boolean write = false;
    boolean all = false;
    List<String> words = new ArrayList<>();
    for (String a : argv.subList(1, argv.size())) {
      switch (a) {
        case "-n", "--values" -> valuesOnly = true;
        case "-N", "--names" -> {}
        case "-q", "--quiet" -> quiet = true;
        case "-w", "--write" -> write = true;
        case "-a", "-A", "-X", "--all" -> all = true;
        case "-e", "--ignore" -> {}
        default -> {
          if (a.startsWith("-") && a.length() > 1) {
            return ToolResult.error(1, "sysctl: unknown option '" + a + "'\n" + USAGE);
          }
          words.add(a);
        }
      }
    }
    Sysctls sysctls = ns.sysctls();
    var out = new StringBuilder();
    var err = new StringBuilder();
    int rc = 0;
    if (all) {
      for (Map.Entry<String, String> e : sysctls.all().entrySet()) {
        out.append(valuesOnly ? e.getValue() : e.getKey() + " = " + e.getValue()).append('\n');
      }
      return new ToolResult(0, out.toString(), "");
    }
    if (words.isEmpty()) {
      return ToolResult.error(1, "sysctl: no variables specified\n" + USAGE);
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq < 0 && write) {
        err.append("sysctl: command line(0): invalid syntax, continuing...\n");
        rc = 1;
        continue;
      }
      String key = Sysctls.normalize(eq < 0 ? w : w.substring(0, eq));
      if (sysctls.find(key).isEmpty()) {
        err.append("sysctl: cannot stat /proc/sys/")
            .append(key.replace('.', '/'))
            .append(": No such file or directory\n");
        rc = 1;
        continue;
      }
      if (eq >= 0) {
        String value = w.substring(eq + 1);
        try {
          sysctls.set(key, value);
        } catch (KernelException | IllegalArgumentException e) {
          err.append("sysctl: setting key \"").append(key).append("\": Invalid argument\n");
          rc = 1;
          continue;
        }
        if (!quiet) {
          out.append(valuesOnly ? value : key + " = " + value).append('\n');
        }
      } else {
        String v = sysctls.get(key);
        out.append(valuesOnly ? v : key + " = " + v).append('\n');
      }
    }
    return new ToolResult(rc, out.toString(), err.toString());
  }

  static final String USAGE =
      """

      Usage:
       sysctl [options] [variable[=value] ...]

      Options:
        -a, --all            display all variables
        -A                   alias of -a
        -X                   alias of -a
            --deprecated     include deprecated parameters to listing
        -b, --binary         print value without new line
        -e, --ignore         ignore unknown variables errors
        -N, --names          print variable names without values
        -n, --values         print only values of the given variable(s)
        -p, --load[=<file>]  read values from file
        -f                   alias of -p
            --system         read values from all system directories
        -r, --pattern <expression>
                             select setting that match expression
        -q, --quiet          do not echo variable set
        -w, --write          enable writing a value to variable
        -o                   does nothing
        -x                   does nothing
        -d                   alias of -h

       -h, --help     display this help and exit
       -V, --version  output version information and exit

      For more details see sysctl(8).""";
}
