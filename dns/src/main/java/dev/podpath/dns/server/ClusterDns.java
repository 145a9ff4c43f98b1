package dev.podpath.dns.server;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.cluster.ClusterFeed;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.forward.Upstream;
import dev.podpath.dns.records.DnsIndex;
import dev.podpath.dns.records.KubernetesPlugin;
import dev.podpath.dns.records.KubernetesRecords;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The cluster DNS server's plugin chain, message in, message out: the kubernetes plugin for the
 * cluster zones, then the cache and the forwarder for everything else (kubeadm's Corefile without
 * its operational plugins). The record index follows the {@link ClusterFeed}: a change marks it
 * stale and the next query rebuilds it, so a Service appears and disappears from answers as the API
 * store's watch reports it.
 */
public final class ClusterDns {

  private final ClusterFeed feed;
  private final DnsOptions options;
  private final Optional<Upstream> upstream;
  private final ResponseCache cache;
  private final LongSupplier epochSeconds;
  private volatile boolean stale = true;
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private static final ThreadLocal<boolean[]> USED_UPSTREAM =
      ThreadLocal.withInitial(() -> new boolean[1]);
  private volatile KubernetesPlugin plugin;

  /**
   * @param upstream where out-of-zone names go; empty answers them SERVFAIL
   * @param epochSeconds the clock the SOA serial is read from at each change
   */
  public ClusterDns(
      ClusterFeed feed,
      DnsOptions options,
      Optional<Upstream> upstream,
      ResponseCache cache,
      LongSupplier epochSeconds) {
    this.feed = feed;
    this.options = options;
    this.upstream = upstream;
    this.cache = cache;
    this.epochSeconds = epochSeconds;
    feed.onChange(
        () -> {
          stale = true;
          generation.incrementAndGet();
        });
    this.plugin = rebuild();
  }

  public DnsOptions options() {
    return options;
  }

  /** The records as of the latest change. */
  public KubernetesRecords records() {
    return new KubernetesRecords(DnsIndex.of(feed.current(), epochSeconds.getAsLong()), options);
  }

  /** A count of the cluster changes seen; answers only change when it does. */
  public long generation() {
    return generation.get();
  }

  /** A response, and whether it depends on the cluster state alone (no upstream was asked). */
  public record Answered(Message response, boolean clusterOnly) {}

  /** {@link #handle}, telling whether the answer may be remembered until the next change. */
  public Answered answer(Message query) {
    boolean[] used = USED_UPSTREAM.get();
    used[0] = false;
    Message response = handle(query);
    return new Answered(response, !used[0]);
  }

  /** The response to {@code query}; never null, never throws for a well-formed message. */
  public Message handle(Message query) {
    Message response = compute(query);
    OPTRecord opt = query.getOPT();
    if (opt != null && response.getOPT() == null) {
      int size = Math.max(512, Math.min(opt.getPayloadSize(), 4096));
      response.addRecord(new OPTRecord(size, 0, 0), Section.ADDITIONAL);
    }
    return response;
  }

  private Message compute(Message query) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return error(query, Rcode.NOTIMP);
    }
    Record question = query.getQuestion();
    if (question == null
        || query.getSection(Section.QUESTION).size() != 1
        || question.getDClass() != DClass.IN) {
      return error(
          query,
          question == null || query.getSection(Section.QUESTION).size() != 1
              ? Rcode.FORMERR
              : Rcode.REFUSED);
    }
    Optional<Message> own = current().serve(query);
    if (own.isPresent()) {
      return own.get();
    }
    return forward(query).orElseGet(() -> error(query, Rcode.SERVFAIL));
  }

  private KubernetesPlugin current() {
    if (stale) {
      synchronized (this) {
        if (stale) {
          stale = false;
          plugin = rebuild();
        }
      }
    }
    return plugin;
  }

  private KubernetesPlugin rebuild() {
    return new KubernetesPlugin(records(), options, this::lookupExternal);
  }

  private Optional<Message> lookupExternal(Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return forward(q);
  }

  private Optional<Message> forward(Message query) {
    USED_UPSTREAM.get()[0] = true;
    Optional<Message> hit = cache.get(query);
    if (hit.isPresent()) {
      return hit;
    }
    if (upstream.isEmpty()) {
      return Optional.empty();
    }
    try {
      Message q = query.clone();
      q.removeAllRecords(Section.ADDITIONAL);
      Message r = upstream.get().query(q);
      cache.put(query, r);
      r.getHeader().setID(query.getHeader().getID());
      if (r.getOPT() != null) {
        r.removeRecord(r.getOPT(), Section.ADDITIONAL);
      }
      return Optional.of(r);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** An empty response with {@code rcode}, echoing the question when there is one. */
  static Message error(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return m;
  }
}
