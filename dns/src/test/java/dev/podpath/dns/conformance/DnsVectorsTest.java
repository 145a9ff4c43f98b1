package dev.podpath.dns.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.forward.Upstream;
import dev.podpath.dns.records.RecordFactory;
import dev.podpath.dns.server.DnsServer;
import dev.podpath.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Every query case of {@code specs/dns-vectors.yaml}, asked of the real server (UDP and TCP on
 * loopback) with dnsjava's resolver, compared per the file's comparison rules: rcode, TC, and each
 * section as a multiset (owner case exact, TTL unless "any", SOA by owner, TTL and MNAME, CNAME
 * before its target's records).
 */
class DnsVectorsTest {

  /**
   * Objects the coredns-ci environment has but the fixture leaves implicit: the DNS Service and
   * CoreDNS's pod.
   */
  static final String COREDNS_POD_IP = "10.244.0.53";

  @TestFactory
  Stream<DynamicNode> everyQueryCaseThroughTheRealServer() throws IOException {
    Optional<Map<String, Object>> file = VectorFile.load();
    Assumptions.assumeTrue(
        file.isPresent(),
        "shared/specs/dns-vectors.yaml absent (podpath.shared not set or missing): skipping DNS conformance");
    Map<String, Object> fixtures = VectorFile.map(file.get().get("fixtures"));
    List<DynamicNode> suites = new ArrayList<>();
    for (Object s : VectorFile.list(file.get().get("suites"))) {
      Map<String, Object> suite = VectorFile.map(s);
      Object fixtureId = suite.get("fixture");
      Map<String, Object> fixture =
          fixtureId == null ? SpecExamples.FIXTURE : VectorFile.map(fixtures.get(fixtureId));
      List<DynamicNode> cases = new ArrayList<>();
      for (Object c : VectorFile.list(suite.get("cases"))) {
        Map<String, Object> kase = VectorFile.map(c);
        cases.add(
            DynamicTest.dynamicTest((String) kase.get("id"), () -> run(suite, fixture, kase)));
      }
      suites.add(DynamicContainer.dynamicContainer((String) suite.get("id"), cases));
    }
    return suites.stream();
  }

  private static void run(
      Map<String, Object> suite, Map<String, Object> fixture, Map<String, Object> kase)
      throws IOException {
    List<HasMetadata> extra = new ArrayList<>();
    Map<String, Object> server = VectorFile.map(suite.get("server"));
    DnsOptions options =
        suite.get("fixture") == null ? SpecExamples.OPTIONS : VectorServer.options(server);
    if ("coredns-ci".equals(suite.get("fixture"))) {
      extra.addAll(CiEnvironment.objects(COREDNS_POD_IP));
      options = options.withLocalIps(List.of(IpAddress.parse(COREDNS_POD_IP)));
    }
    if (kase.get("after") != null) {
      extra.addAll(VectorFile.objects(fixture.get((String) kase.get("after"))));
    }
    ObjectCluster cluster = VectorServer.cluster(fixture, extra);
    if (Boolean.FALSE.equals(server.get("api_synced"))) {
      cluster.setSynced(false);
    }
    try (DnsServer dns = VectorServer.start(cluster, options, upstream(fixture, kase))) {
      for (boolean tcp : new boolean[] {false, true}) {
        Message response = ask(dns, kase, tcp);
        check(kase, response, tcp ? "TCP" : "UDP", Boolean.TRUE.equals(suite.get("informative")));
      }
    }
  }

  private static Optional<Upstream> upstream(
      Map<String, Object> fixture, Map<String, Object> kase) {
    Map<String, Object> stub = VectorFile.map(kase.get("upstream_stub"));
    if (!stub.isEmpty()) {
      List<Record> records =
          VectorFile.list(stub.get("answer")).stream()
              .map(o -> toRecord(VectorFile.map(o)))
              .toList();
      return Optional.of(VectorServer.stub(records, Boolean.TRUE.equals(stub.get("tc"))));
    }
    List<Record> records = new ArrayList<>();
    VectorFile.map(fixture.get("upstream_zone_example_net"))
        .forEach(
            (name, rrs) ->
                VectorFile.map(rrs)
                    .forEach(
                        (type, data) ->
                            records.add(
                                toRecord(
                                    Map.of(
                                        "name", name, "ttl", 300, "type", type, "data", data)))));
    records.addAll(SpecExamples.upstreamRecords(fixture));
    return records.isEmpty() ? Optional.empty() : Optional.of(VectorServer.stub(records, false));
  }

  private static Record toRecord(Map<String, Object> m) {
    String type = String.valueOf(m.get("type"));
    if (!type.equals("A") && !type.equals("AAAA")) {
      throw new IllegalArgumentException("stub records are addresses, got " + type);
    }
    long ttl = ((Number) m.get("ttl")).longValue();
    return RecordFactory.address(
        String.valueOf(m.get("name")), ttl, IpAddress.parse(String.valueOf(m.get("data"))));
  }

  private static Message ask(DnsServer dns, Map<String, Object> kase, boolean tcp)
      throws IOException {
    Map<String, Object> q = VectorFile.map(kase.get("q"));
    SimpleResolver r = new SimpleResolver(dns.address());
    r.setTCP(tcp);
    r.setIgnoreTruncation(true);
    r.setTimeout(Duration.ofSeconds(5));
    Name name = Name.fromString(String.valueOf(q.get("name")), Name.root);
    return r.send(
        Message.newQuery(
            Record.newRecord(name, Type.value(String.valueOf(q.get("type"))), DClass.IN)));
  }

  /**
   * Checks one response. Informative suites (the specification's own examples) print no additional
   * section, which the spec says MAY be present, so it is compared only when listed.
   */
  private static void check(
      Map<String, Object> kase, Message m, String transport, boolean informative) {
    String what = kase.get("id") + " over " + transport + ":\n" + m;
    if (kase.get("rcode") != null) {
      assertThat(Rcode.string(m.getRcode())).as(what).isEqualTo(kase.get("rcode"));
    }
    assertThat(m.getHeader().getFlag(Flags.TC))
        .as(what)
        .isEqualTo(Boolean.TRUE.equals(kase.get("tc")));
    List<Record> answer = m.getSection(Section.ANSWER);
    List<Record> authority = m.getSection(Section.AUTHORITY);
    List<Record> additional =
        m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).toList();
    if (kase.containsKey("answer_count")) {
      assertThat(answer).as(what).hasSize(((Number) kase.get("answer_count")).intValue());
      assertThat(additional).as(what).hasSize(((Number) kase.get("additional_count")).intValue());
      String regex = (String) kase.get("srv_target_regex");
      answer.forEach(r -> assertThat(r.getAdditionalName().toString()).as(what).matches(regex));
      return;
    }
    assertThat(RrExpectation.mismatches(expected(kase, "answer"), answer))
        .as("answer of " + what)
        .isEmpty();
    assertThat(RrExpectation.mismatches(expected(kase, "authority"), authority))
        .as("authority of " + what)
        .isEmpty();
    if (!informative || kase.containsKey("additional")) {
      assertThat(RrExpectation.mismatches(expected(kase, "additional"), additional))
          .as("additional of " + what)
          .isEmpty();
    }
    for (int i = 0; i < answer.size(); i++) {
      if (answer.get(i) instanceof CNAMERecord c) {
        for (int j = 0; j < i; j++) {
          assertThat(answer.get(j).getName())
              .as("CNAME before its target's records in " + what)
              .isNotEqualTo(c.getTarget());
        }
      }
    }
  }

  private static List<RrExpectation> expected(Map<String, Object> kase, String section) {
    return VectorFile.list(kase.get(section)).stream()
        .map(o -> RrExpectation.of(VectorFile.map(o)))
        .toList();
  }
}
