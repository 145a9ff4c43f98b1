package dev.podpath.shell.ip;

/**
 * What every {@code ip OBJECT} command shares, as iproute2's {@code do_ipaddr}, {@code do_iplink}
 * and the others do it: without a verb it lists, {@code show}/{@code list}/{@code lst} (by any
 * prefix) list, the object's own verbs are matched by prefix in the object's order, and an unknown
 * verb is refused with exit 255 naming the object's help.
 */
abstract class ObjectCommand {

  final IpContext ctx;
  private final String object;
  private final String defaultVerb;

  /**
   * @param object the object's name in the help hint ({@code address}, {@code link})
   * @param defaultVerb the verb run when none is given ({@code show}, {@code list})
   */
  ObjectCommand(IpContext ctx, String object, String defaultVerb) {
    this.ctx = ctx;
    this.object = object;
    this.defaultVerb = defaultVerb;
  }

  final void run(Args args) {
    String verb = args.has() ? args.next() : defaultVerb;
    if (!verb(verb, args)) {
      throw new IpError(
          255, "Command \"" + verb + "\" is unknown, try \"ip " + object + " help\".");
    }
  }

  /** Runs {@code verb} on the rest of {@code args}; false when the object has no such verb. */
  abstract boolean verb(String verb, Args args);

  /** {@code show}, {@code list} or {@code lst}, the listing verbs of every object. */
  static boolean isList(String verb) {
    return Args.matches(verb, "show") || Args.matches(verb, "list") || verb.equals("lst");
  }
}
