package dev.podpath.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code podpath} command: subcommands for labs, rules, reachability and DNS. */
@Command(
    name = "podpath",
    mixinStandardHelpOptions = true,
    version = "podpath 0.1.0",
    description = "The networking of a Kubernetes cluster, emulated faithfully in one JVM.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.podpath.cli.lab.LabCommand.class,
      dev.podpath.cli.policy.ReachCommand.class,
      dev.podpath.cli.policy.ExplainCommand.class,
      dev.podpath.cli.policy.DiffCommand.class,
      dev.podpath.cli.dns.DnsCommand.class,
      dev.podpath.cli.rules.RulesCommand.class,
      dev.podpath.cli.get.GetCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (0 ok, 1 failed checks, 2 bad input). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
