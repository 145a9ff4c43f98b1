package dev.podpath.cli.dns;

import dev.podpath.kube.io.ManifestException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code podpath dns}: cluster DNS as CoreDNS answers it, served, queried, exported; pods'
 * resolv.conf.
 */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description =
        "Cluster DNS: serve it, query it, export it as a zone file, show a pod's resolv.conf.",
    subcommands = {
      ServeCommand.class,
      QueryCommand.class,
      ResolvConfCommand.class,
      ZoneCommand.class
    })
public final class DnsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code body}, turning bad input into a message on stderr and exit code 2. */
  static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (ManifestException e) {
      err.println("podpath dns: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("podpath dns: " + e.getMessage());
      return 2;
    } finally {
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }
}
