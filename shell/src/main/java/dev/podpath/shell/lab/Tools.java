package dev.podpath.shell.lab;

import dev.podpath.kernel.NetNamespace;
import dev.podpath.shell.ToolResult;
import dev.podpath.shell.ip.IpTool;
import dev.podpath.shell.sysctl.ProcSys;
import dev.podpath.shell.sysctl.SysctlTool;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The real tools a lab can run in a namespace, by name. */
public final class Tools {

  /** A tool: argv (argv[0] its name) and standard input, run in a namespace. */
  @FunctionalInterface
  public interface Tool {
    ToolResult run(NetNamespace ns, List<String> argv, Optional<String> stdin);
  }

  private final Map<String, Tool> tools = new TreeMap<>();

  /** Every tool podpath provides. */
  public static Tools standard() {
    var t = new Tools();
    t.add("ip", (ns, argv, in) -> IpTool.run(ns, argv));
    t.add("sysctl", (ns, argv, in) -> SysctlTool.run(ns, argv));
    t.add("cat", (ns, argv, in) -> ProcSys.cat(ns, argv));
    t.add("bridge", (ns, argv, in) -> dev.podpath.shell.bridge.BridgeTool.run(ns, argv));
    t.add("conntrack", (ns, argv, in) -> dev.podpath.shell.conntrack.ConntrackTool.run(ns, argv));
    t.add("ipvsadm", dev.podpath.shell.ipvsadm.IpvsadmTool::run);
    t.add("ipset", dev.podpath.shell.ipset.IpsetTool::run);
    for (String p :
        List.of(
            "iptables",
            "ip6tables",
            "iptables-save",
            "ip6tables-save",
            "iptables-restore",
            "ip6tables-restore")) {
      t.add(
          p,
          (ns, argv, in) ->
              dev.podpath.shell.iptables.Iptables.run(ns.netfilter(), argv, in.orElse("")));
    }
    return t;
  }

  public Tools add(String name, Tool tool) {
    tools.put(name, tool);
    return this;
  }

  public boolean knows(String name) {
    return tools.containsKey(name);
  }

  public ToolResult run(NetNamespace ns, List<String> argv, Optional<String> stdin) {
    Tool t = tools.get(argv.get(0));
    if (t == null) {
      return ToolResult.error(127, argv.get(0) + ": command not found");
    }
    return t.run(ns, argv, stdin);
  }
}
