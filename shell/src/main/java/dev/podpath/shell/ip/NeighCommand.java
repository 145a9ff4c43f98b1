package dev.podpath.shell.ip;

import dev.podpath.kernel.Errno;
import dev.podpath.kernel.KernelException;
import dev.podpath.kernel.Neighbours;
import dev.podpath.kernel.link.MacAddress;
import dev.podpath.net.IpAddress;
import java.util.Optional;

/** {@code ip neigh show|add|replace|del}. */
final class NeighCommand extends ObjectCommand {

  NeighCommand(IpContext ctx) {
    super(ctx, "neigh", "show");
  }

  @Override
  boolean verb(String verb, Args args) {
    if (isList(verb)) {
      show(args);
    } else if (Args.matches(verb, "add")
        || Args.matches(verb, "replace")
        || verb.equals("change")) {
      change(args, true);
    } else if (Args.matches(verb, "delete")) {
      change(args, false);
    } else {
      return false;
    }
    return true;
  }

  private void change(Args args, boolean add) {
    Optional<IpAddress> addr = Optional.empty();
    Optional<String> dev = Optional.empty();
    Optional<MacAddress> mac = Optional.empty();
    while (args.has()) {
      String w = args.next();
      switch (w) {
        case "dev" -> dev = Optional.of(args.value());
        case "lladdr" -> {
          String m = args.value();
          try {
            mac = Optional.of(MacAddress.parse(m));
          } catch (IllegalArgumentException e) {
            throw IpError.usage("\"" + m + "\" is invalid lladdr.");
          }
        }
        case "nud" -> args.value();
        case "to", "proxy" ->
            addr = Optional.of(IpContext.address(args.value(), "any valid address"));
        case "router", "extern_learn" -> {}
        default -> addr = Optional.of(IpContext.address(w, "any valid address"));
      }
    }
    if (addr.isEmpty() || dev.isEmpty()) {
      throw IpError.usage("Device and destination are required arguments.");
    }
    ctx.device(dev.get());
    Neighbours n = ctx.ns().neighbours();
    if (add) {
      n.put(addr.get(), dev.get(), mac.orElse(MacAddress.ZERO));
    } else if (!n.remove(addr.get(), dev.get())) {
      throw KernelException.rtnetlink(Errno.ENOENT);
    }
  }

  private void show(Args args) {
    Optional<String> dev = Optional.empty();
    while (args.has()) {
      String w = args.next();
      if (w.equals("dev")) {
        dev = Optional.of(args.value());
      } else if (w.equals("nud") || w.equals("to")) {
        args.value();
      }
    }
    if (dev.isPresent()) {
      ctx.device(dev.get());
    }
    for (Neighbours.Entry e : ctx.ns().neighbours().entries()) {
      if (dev.isPresent() && !dev.get().equals(e.device())) {
        continue;
      }
      if (!ctx.options().shows(e.address().family())) {
        continue;
      }
      ctx.out().append(e.address());
      if (dev.isEmpty()) {
        ctx.out().append(" dev ").append(e.device());
      }
      // iproute2 prints each state word followed by a space ("%s "), so the line ends in one
      e.mac().ifPresent(m -> ctx.out().append(" lladdr ").append(m));
      ctx.out().append(' ').append(e.state()).append(" \n");
    }
  }
}
