package dev.podpath.shell.ip;

import dev.podpath.kernel.Host;
import dev.podpath.kernel.KernelException;

/**
 * {@code ip netns add|del|list}. ({@code ip netns exec} runs another command, so the lab
 * interpreter handles it.)
 */
final class NetnsCommand {

  private final IpContext ctx;

  NetnsCommand(IpContext ctx) {
    this.ctx = ctx;
  }

  void run(Args args) {
    Host host = ctx.ns().host();
    String verb = args.has() ? args.next() : "list";
    if (Args.matches(verb, "list") || Args.matches(verb, "show") || verb.equals("lst")) {
      host.namespaceNames().stream()
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(n -> ctx.out().append(n).append('\n'));
    } else if (Args.matches(verb, "add")) {
      String name = name(args);
      try {
        host.addNamespace(name);
      } catch (KernelException e) {
        throw new IpError(1, e.getMessage().replace("/var/run/netns/", "/run/netns/"));
      }
    } else if (Args.matches(verb, "delete")) {
      String name = name(args);
      try {
        host.deleteNamespace(name);
      } catch (KernelException e) {
        throw new IpError(1, e.getMessage().replace("/var/run/netns/", "/run/netns/"));
      }
    } else if (Args.matches(verb, "exec")) {
      throw new IpError(1, "ip netns exec: only a lab file can run commands in a namespace");
    } else {
      throw new IpError(255, "Command \"" + verb + "\" is unknown, try \"ip netns help\".");
    }
  }

  private static String name(Args args) {
    if (!args.has()) {
      throw new IpError(255, "No netns name specified");
    }
    return args.next();
  }
}
