package dev.podpath.kernel.ipset;

import java.util.List;
import java.util.Optional;

/**
 * What {@code ipset list NAME} shows of a set: its spec, how many rules reference it, and its
 * members (sorted) with the seconds left before they expire.
 */
public record SetListing(SetSpec spec, int references, List<Member> members) {

  /**
   * One member; in a set with timeouts, its remaining seconds (0: never expires); in a set with
   * comments, its comment if it was given one.
   */
  public record Member(Element element, Optional<Long> timeoutLeft, Optional<String> comment) {

    public Member(Element element, Optional<Long> timeoutLeft) {
      this(element, timeoutLeft, Optional.empty());
    }

    /** As {@code ipset list} prints a member line: timeout first, then the comment. */
    @Override
    public String toString() {
      return element
          + timeoutLeft.map(t -> " timeout " + t).orElse("")
          + comment.map(c -> " comment \"" + c + "\"").orElse("");
    }
  }

  public SetListing {
    members = List.copyOf(members);
  }

  /** This set as {@code ipset save -sorted} writes it: a create line, then an add line a member. */
  public String save() {
    var sb = new StringBuilder();
    sb.append("create ")
        .append(spec.name())
        .append(' ')
        .append(spec.type())
        .append(' ')
        .append(spec.header())
        .append('\n');
    members.forEach(m -> sb.append("add ").append(spec.name()).append(' ').append(m).append('\n'));
    return sb.toString();
  }
}
