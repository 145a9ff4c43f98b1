package dev.podpath.shell.ip;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.KernelException;

/**
 * {@code ip netns add|del|list}. ({@code ip netns exec} runs another command, so the lab
 * interpreter handles it.)
 */
final class NetnsCommand extends ObjectCommand {

  NetnsCommand(IpContext ctx) {
    super(ctx, "netns", "list");
  }

  @Override
  boolean verb(String verb, Args args) {
    Host host = ctx.ns().host();
    if (isList(verb)) {
      host.namespaceNames().stream()
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(n -> ctx.out().append(n).append('\n'));
    } else if (Args.matches(verb, "add")) {
      String name = name(args);
      refusedAsIp(() -> host.addNamespace(name));
    } else if (Args.matches(verb, "delete")) {
      String name = name(args);
      refusedAsIp(() -> host.deleteNamespace(name));
    } else if (Args.matches(verb, "exec")) {
      throw new IpError(1, "ip netns exec: only a lab file can run commands in a namespace");
    } else {
      return false;
    }
    return true;
  }

  /** Runs a namespace change; the kernel's refusal is ip's, with iproute2's {@code /run} path. */
  private static void refusedAsIp(Runnable change) {
    try {
      change.run();
    } catch (KernelException e) {
      throw new IpError(1, e.getMessage().replace("/var/run/netns/", "/run/netns/"));
    }
  }

  private static String name(Args args) {
    if (!args.has()) {
      throw new IpError(255, "No netns name specified");
    }
    return args.next();
  }
}
