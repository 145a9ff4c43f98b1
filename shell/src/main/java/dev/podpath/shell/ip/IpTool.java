package dev.podpath.shell.ip;

import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.NetNamespace;
import dev.podpath.net.IpFamily;
import dev.podpath.shell.ToolResult;
import java.util.List;
import java.util.Optional;

/**
 * {@code ip} from iproute2 6.1 over an emulated namespace: {@code netns}, {@code link}, {@code
 * addr}, {@code route}, {@code neigh}, with the global options {@code -n NS}, {@code -4}, {@code
 * -6}, {@code -br}, {@code -d}. Output and error messages are iproute2's; a refused command changes
 * nothing.
 */
public final class IpTool {

  private IpTool() {}

  /** Runs {@code argv} ({@code argv[0]} is {@code ip}) in namespace {@code ns}. */
  public static ToolResult run(NetNamespace ns, List<String> argv) {
    var out = new StringBuilder();
    try {
      var args = new Args(argv.subList(1, argv.size()));
      Optional<IpFamily> family = Optional.empty();
      boolean brief = false;
      boolean details = false;
      NetNamespace target = ns;
      while (args.has() && args.peek().startsWith("-") && args.peek().length() > 1) {
        String opt = args.next();
        String o = opt.startsWith("--") ? opt.substring(1) : opt;
        switch (o) {
          case "-4" -> family = Optional.of(IpFamily.IPV4);
          case "-6" -> family = Optional.of(IpFamily.IPV6);
          case "-s",
              "-stats",
              "-statistics",
              "-c",
              "-color",
              "-o",
              "-oneline",
              "-N",
              "-Numeric" -> {}
          default -> {
            if (Args.matches(o, "-brief") && o.length() >= 3) {
              brief = true;
            } else if (Args.matches(o, "-details")) {
              details = true;
            } else if (Args.matches(o, "-netns")) {
              String name = args.value();
              target =
                  ns.host()
                      .findNamespace(name)
                      .orElseThrow(
                          () ->
                              new IpError(
                                  255,
                                  "Cannot open network namespace \""
                                      + name
                                      + "\": No such file or directory"));
            } else if (Args.matches(o, "-family") && o.length() >= 2) {
              String f = args.value();
              family =
                  switch (f) {
                    case "inet" -> Optional.of(IpFamily.IPV4);
                    case "inet6" -> Optional.of(IpFamily.IPV6);
                    default ->
                        throw IpError.usage(
                            "Error: argument \"" + f + "\" is wrong: invalid protocol family");
                  };
            } else {
              throw new IpError(255, "Option \"" + opt + "\" is unknown, try \"ip -help\".");
            }
          }
        }
      }
      var opts = new IpOptions(family, brief, details);
      if (!args.has()) {
        throw new IpError(255, USAGE);
      }
      String object = args.next();
      var ctx = new IpContext(target, opts, out);
      if (Args.matches(object, "address")) {
        new AddrCommand(ctx).run(args);
      } else if (Args.matches(object, "route")) {
        new RouteCommand(ctx).run(args);
      } else if (Args.matches(object, "neighbour") || Args.matches(object, "neighbor")) {
        new NeighCommand(ctx).run(args);
      } else if (Args.matches(object, "link")) {
        new LinkCommand(ctx).run(args);
      } else if (Args.matches(object, "netns")) {
        new NetnsCommand(ctx).run(args);
      } else if (object.equals("help")) {
        throw new IpError(255, USAGE);
      } else {
        throw IpError.usage("Object \"" + object + "\" is unknown, try \"ip help\".");
      }
      return ToolResult.ok(out.toString());
    } catch (IpError e) {
      return new ToolResult(e.exitCode(), out.toString(), e.getMessage() + "\n");
    } catch (KernelException e) {
      return new ToolResult(exitCode(e), out.toString(), e.getMessage() + "\n");
    }
  }

  /** The header line {@code ip link} prints for a device (for the {@code bridge} tool). */
  public static String linkHeader(NetNamespace ns, dev.podpath.kernel.link.Link link) {
    return LinkFormat.header(ns, link, true);
  }

  /** iproute2 exits 2 when the kernel refused, 1 when it refused itself (an unknown device). */
  static int exitCode(KernelException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.startsWith("RTNETLINK answers")
        || (m.startsWith("Error: ") && !m.contains("is expected rather than"))) {
      return 2;
    }
    if (m.startsWith("Cannot create namespace file")
        || m.startsWith("Cannot remove namespace file")
        || m.startsWith("Cannot open network namespace")) {
      return 1;
    }
    return 1;
  }

  static final String USAGE =
      """
      Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
             ip [ -force ] -batch filename
      where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp | link |
                         macsec | maddress | monitor | mptcp | mroute | mrule |
                         neighbor | neighbour | netconf | netns | nexthop | ntable |
                         ntbl | route | rule | sr | tap | tcpmetrics |
                         token | tunnel | tuntap | vrf | xfrm }
             OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                          -h[uman-readable] | -iec | -j[son] | -p[retty] |
                          -f[amily] { inet | inet6 | mpls | bridge | link } |
                          -4 | -6 | -M | -B | -0 |
                          -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                          -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                          -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                          -c[olor]}""";
}
