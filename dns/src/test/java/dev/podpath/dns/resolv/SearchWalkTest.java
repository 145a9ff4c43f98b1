package dev.podpath.dns.resolv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

class SearchWalkTest {

  private static final ResolvConf TEST_NS =
      new ResolvConf(
          List.of("10.96.0.10"),
          List.of("test.svc.cluster.local", "svc.cluster.local", "cluster.local"),
          List.of("ndots:5"));

  @Test
  void aShortNameTriesEverySearchDomainFirst() {
    assertThat(SearchWalk.candidates("data.prod", TEST_NS))
        .containsExactly(
            "data.prod.test.svc.cluster.local.",
            "data.prod.svc.cluster.local.",
            "data.prod.cluster.local.",
            "data.prod.");
  }

  @Test
  void aNameWithNdotsDotsIsAskedAsIsFirstAndAnAbsoluteNameOnlyAsIs() {
    assertThat(SearchWalk.candidates("a.b.c.d.e.f", TEST_NS).get(0)).isEqualTo("a.b.c.d.e.f.");
    assertThat(SearchWalk.candidates("web.shop.svc.cluster.local.", TEST_NS))
        .containsExactly("web.shop.svc.cluster.local.");
  }

  @Test
  void theWalkStopsAtTheFirstAnswerAndCountsTheQueriesItCost() {
    SearchWalk.Result r =
        SearchWalk.walk(
            "data.prod",
            org.xbill.DNS.Type.A,
            TEST_NS,
            q -> {
              Message m = new Message(q.getHeader().getID());
              m.getHeader().setFlag(Flags.QR);
              m.addRecord(q.getQuestion(), Section.QUESTION);
              if (q.getQuestion().getName().toString().equals("data.prod.svc.cluster.local.")) {
                m.addRecord(
                    dev.podpath.dns.records.RecordFactory.address(
                        "data.prod.svc.cluster.local.",
                        30,
                        dev.podpath.net.IpAddress.parse("10.96.0.5")),
                    Section.ANSWER);
              } else {
                m.getHeader().setRcode(Rcode.NXDOMAIN);
              }
              return m;
            });
    assertThat(r.steps()).extracting(SearchWalk.Step::rcode).containsExactly("NXDOMAIN", "NOERROR");
    assertThat(r.answer()).isNotEqualTo(Optional.empty());
  }
}
