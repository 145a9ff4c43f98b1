package dev.podpath.dns.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.dns.records.RecordFactory;
import dev.podpath.net.IpAddress;
import dev.podpath.net.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {

  private static Message query(String name) {
    return Message.newQuery(Record.newRecord(RecordFactory.name(name), Type.A, DClass.IN));
  }

  @Test
  void answersAreServedWithTtlsCountingDownUntilTheCapExpires() {
    VirtualClock clock = new VirtualClock();
    ResponseCache cache = new ResponseCache(CacheSettings.kubeadm(), clock::nanos);
    StubUpstream up =
        new StubUpstream(
            List.of(RecordFactory.address("example.com.", 300, IpAddress.parse("192.0.2.1"))));
    Message q = query("example.com");
    cache.put(q, up.query(q));
    clock.advance(Duration.ofSeconds(10));
    Message hit = cache.get(query("example.com")).orElseThrow();
    assertThat(hit.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(290);
    clock.advance(Duration.ofSeconds(20));
    assertThat(cache.get(q)).isEmpty();
  }

  @Test
  void denialsAreCachedAndCapacityIsBounded() {
    VirtualClock clock = new VirtualClock();
    ResponseCache cache = new ResponseCache(new CacheSettings(2, 3600, 1800, 5), clock::nanos);
    StubUpstream up = new StubUpstream(List.of());
    for (String n : List.of("a.example", "b.example", "c.example")) {
      cache.put(query(n), up.query(query(n)));
    }
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(query("a.example"))).isEmpty();
    assertThat(cache.get(query("c.example"))).isPresent();
  }
}
