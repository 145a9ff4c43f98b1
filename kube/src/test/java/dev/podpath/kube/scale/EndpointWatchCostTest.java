package dev.podpath.kube.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.kube.scale.EndpointWatchCost.Config;
import dev.podpath.kube.scale.EndpointWatchCost.Mode;
import dev.podpath.kube.scale.EndpointWatchCost.Result;
import org.junit.jupiter.api.Test;

class EndpointWatchCostTest {

  @Test
  void slicesSendLessPerChangeThanEndpointsForALargeService() {
    Config c = new Config(250, 20, 100, 10);
    Result ep = EndpointWatchCost.run(Mode.ENDPOINTS_UNCAPPED, c);
    Result es = EndpointWatchCost.run(Mode.ENDPOINT_SLICES, c);
    assertThat(ep.objects()).isEqualTo(1);
    assertThat(es.objects()).isEqualTo(3);
    // one pod turning unready: one write of the kind, seen by every kube-proxy
    assertThat(ep.singleChange().writes()).isEqualTo(1);
    assertThat(es.singleChange().writes()).isEqualTo(1);
    assertThat(ep.singleChange().events()).isEqualTo(20);
    // a slice of 100 endpoints is smaller than Endpoints with 250 addresses
    assertThat(es.singleChange().bytes()).isLessThan(ep.singleChange().bytes());
    // every watcher receives the whole Endpoints object
    assertThat((double) ep.singleChange().bytes() / ep.singleChange().events())
        .isCloseTo(ep.objectBytes(), org.assertj.core.data.Percentage.withPercentage(1));
    // each replacement is two changes (new pod ready, old pod gone)
    assertThat(ep.rollingUpdate().writes()).isEqualTo(20);
    assertThat(es.rollingUpdate().bytes()).isLessThan(ep.rollingUpdate().bytes());
  }

  @Test
  void sinceKubernetes122EndpointsAreCappedAtAThousandAddresses() {
    Result capped = EndpointWatchCost.run(Mode.ENDPOINTS, new Config(1100, 5, 100, 0));
    Result full = EndpointWatchCost.run(Mode.ENDPOINTS_UNCAPPED, new Config(1100, 5, 100, 0));
    assertThat(capped.objectBytes()).isLessThan(full.objectBytes());
    assertThat((double) capped.objectBytes() / full.objectBytes())
        .isCloseTo(1000.0 / 1100, org.assertj.core.data.Offset.offset(0.02));
  }
}
