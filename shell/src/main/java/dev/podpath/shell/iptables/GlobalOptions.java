package dev.podpath.shell.iptables;

import static dev.podpath.shell.iptables.Getopt.Arg.NONE;
import static dev.podpath.shell.iptables.Getopt.Arg.OPTIONAL;
import static dev.podpath.shell.iptables.Getopt.Arg.REQUIRED;

import java.util.List;

/**
 * iptables' own options ({@code original_opts}), its {@code OPT_*} flags and their value checks.
 */
final class GlobalOptions {

  private GlobalOptions() {}

  static final List<Getopt.Spec> GLOBAL =
      List.of(
          Getopt.Spec.global("append", 'A', REQUIRED),
          Getopt.Spec.global("check", 'C', REQUIRED),
          Getopt.Spec.global("delete", 'D', REQUIRED),
          Getopt.Spec.global("replace", 'R', REQUIRED),
          Getopt.Spec.global("insert", 'I', REQUIRED),
          Getopt.Spec.global("list", 'L', OPTIONAL),
          Getopt.Spec.global("list-rules", 'S', OPTIONAL),
          Getopt.Spec.global("flush", 'F', OPTIONAL),
          Getopt.Spec.global("zero", 'Z', OPTIONAL),
          Getopt.Spec.global("new-chain", 'N', REQUIRED),
          Getopt.Spec.global("delete-chain", 'X', OPTIONAL),
          Getopt.Spec.global("rename-chain", 'E', REQUIRED),
          Getopt.Spec.global("policy", 'P', REQUIRED),
          Getopt.Spec.global("source", 's', REQUIRED),
          Getopt.Spec.global("destination", 'd', REQUIRED),
          Getopt.Spec.global("src", 's', REQUIRED),
          Getopt.Spec.global("dst", 'd', REQUIRED),
          Getopt.Spec.global("protocol", 'p', REQUIRED),
          Getopt.Spec.global("in-interface", 'i', REQUIRED),
          Getopt.Spec.global("jump", 'j', REQUIRED),
          Getopt.Spec.global("table", 't', REQUIRED),
          Getopt.Spec.global("match", 'm', REQUIRED),
          Getopt.Spec.global("numeric", 'n', NONE),
          Getopt.Spec.global("out-interface", 'o', REQUIRED),
          Getopt.Spec.global("verbose", 'v', NONE),
          Getopt.Spec.global("wait", 'w', OPTIONAL),
          Getopt.Spec.global("wait-interval", 'W', OPTIONAL),
          Getopt.Spec.global("exact", 'x', NONE),
          Getopt.Spec.global("fragments", 'f', NONE),
          Getopt.Spec.global("line-numbers", (char) 0, NONE),
          Getopt.Spec.global("modprobe", 'M', REQUIRED),
          Getopt.Spec.global("set-counters", 'c', REQUIRED),
          Getopt.Spec.global("goto", 'g', REQUIRED),
          Getopt.Spec.global("ipv4", '4', NONE),
          Getopt.Spec.global("ipv6", '6', NONE));

  /** The {@code OPT_*} flags, with the letter {@code generic_opt_check} names them by. */
  enum Opt {
    NUMERIC('n'),
    SOURCE('s'),
    DESTINATION('d'),
    PROTOCOL('p'),
    JUMP('j'),
    VERBOSE('v'),
    EXPANDED('x'),
    VIA_IN('i'),
    VIA_OUT('o'),
    LINE_NUMBERS('0'),
    COUNTERS('c'),
    FRAGMENT('f');

    final char letter;

    Opt(char letter) {
      this.letter = letter;
    }
  }

  static int ruleNumber(String text) {
    var n = Values.number(text, Integer.MAX_VALUE);
    if (n.isEmpty() || n.getAsLong() == 0 || text.startsWith("0")) {
      throw IptablesError.parameter("Invalid rule number `" + text + "'");
    }
    return (int) n.getAsLong();
  }

  static long counter(String text, String what) {
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 18) {
      throw IptablesError.parameter("-c " + what + " counter not numeric");
    }
    return Long.parseLong(text);
  }

  static void validChainName(String name) {
    if (name.length() >= 29) {
      throw IptablesError.parameter("chain name `" + name + "' too long (must be under 29 chars)");
    }
    if (name.startsWith("-") || name.startsWith("!")) {
      throw IptablesError.parameter(
          "chain name not allowed to start with `" + name.charAt(0) + "'");
    }
    if (Extensions.TARGET_NAMES.contains(name)) {
      throw IptablesError.parameter("chain name may not clash with target name");
    }
    if (name.chars().anyMatch(Character::isWhitespace)) {
      throw IptablesError.parameter("Invalid chain name `" + name + "'");
    }
  }
}
