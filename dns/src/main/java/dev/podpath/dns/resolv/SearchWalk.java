package dev.podpath.dns.resolv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * The queries a pod's stub resolver sends for one name (glibc's {@code res_search}): a name ending
 * in a dot is asked as is; a name with at least {@code ndots} dots is asked as is first, then with
 * each search domain; a shorter one with each search domain first, then as is. The walk stops at
 * the first answer with records; NXDOMAIN, NODATA and SERVFAIL go on.
 */
public final class SearchWalk {

  /** One query of the walk and its outcome. */
  public record Step(String name, String rcode, int answers) {}

  /** The walk: every query sent, and the response that ended it, if any did. */
  public record Result(List<Step> steps, Optional<Message> answer) {}

  private SearchWalk() {}

  /** The names the resolver asks for {@code name}, in order. */
  public static List<String> candidates(String name, ResolvConf conf) {
    if (name.endsWith(".")) {
      return List.of(name);
    }
    long dots = name.chars().filter(c -> c == '.').count();
    List<String> searched = new ArrayList<>();
    for (String s : conf.searches()) {
      searched.add(s.equals(".") ? name + "." : name + "." + s + ".");
    }
    List<String> out = new ArrayList<>();
    if (dots >= conf.ndots()) {
      out.add(name + ".");
      searched.stream().filter(n -> !out.contains(n)).forEach(out::add);
    } else {
      out.addAll(searched);
      if (!out.contains(name + ".")) {
        out.add(name + ".");
      }
    }
    return out;
  }

  /** Walks {@code name} of {@code type}, sending each query to {@code server}. */
  public static Result walk(String name, int type, ResolvConf conf, UnaryOperator<Message> server) {
    List<Step> steps = new ArrayList<>();
    for (String candidate : candidates(name, conf)) {
      Name n;
      try {
        n = Name.fromString(candidate);
      } catch (TextParseException e) {
        steps.add(new Step(candidate, "FORMERR", 0));
        continue;
      }
      Message query = Message.newQuery(Record.newRecord(n, type, DClass.IN));
      query.getHeader().setID(steps.size());
      Message response = server.apply(query);
      int answers = response.getSection(Section.ANSWER).size();
      steps.add(new Step(candidate, Rcode.string(response.getRcode()), answers));
      if (response.getRcode() == Rcode.NOERROR && answers > 0) {
        return new Result(steps, Optional.of(response));
      }
    }
    return new Result(steps, Optional.empty());
  }
}
