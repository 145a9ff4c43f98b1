package dev.podpath.cli.lab;

import dev.podpath.cluster.lab.ClusterLabWorld;
import dev.podpath.shell.lab.LabRun;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podpath lab FILE… [-o json]}: runs each lab file on a fresh emulated world, printing what
 * each command prints and every failed expectation; exits 0 when all hold, 1 when some failed, 2
 * when a lab cannot run. With several files the highest status wins.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = {
      "Run lab files: the commands people type on Linux hosts (ip, iptables,",
      "sysctl, ipvsadm, ...), probes that send traffic, and 'expect' lines that",
      "check what happened. Each file runs on a fresh emulated world.",
      "Exit status: 0 all expectations hold, 1 some failed, 2 a lab cannot run."
    })
public final class LabCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "lab files")
  List<Path> files = List.of();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json: one JSON object per probe and per failed expectation")
  String output = "text";

  private final PrintStream out;
  private final PrintStream err;

  public LabCommand() {
    this(
        new PrintStream(System.out, true, StandardCharsets.UTF_8),
        new PrintStream(System.err, true, StandardCharsets.UTF_8));
  }

  public LabCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    LabRun.Format format;
    switch (output) {
      case "text" -> format = LabRun.Format.TEXT;
      case "json" -> format = LabRun.Format.JSON;
      default -> {
        err.println("podpath lab: unknown output format '" + output + "' (expected text or json)");
        return LabRun.CANNOT_RUN;
      }
    }
    int worst = LabRun.OK;
    for (Path f : files) {
      Path dir = f.toAbsolutePath().getParent();
      worst =
          Math.max(
              worst,
              LabRun.runFile(
                  f, new ClusterLabWorld(dir == null ? Path.of(".") : dir), out, err, format));
    }
    out.flush();
    return worst;
  }
}
