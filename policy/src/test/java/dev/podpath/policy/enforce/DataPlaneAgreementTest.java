package dev.podpath.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podpath.net.AddressSet;
import dev.podpath.net.IpAddress;
import dev.podpath.net.Protocol;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.model.PodInfo;
import dev.podpath.policy.model.Semantics;
import dev.podpath.shell.lab.KernelLabWorld;
import dev.podpath.shell.lab.LabRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The semantic judge and the data plane (the compiled rules, loaded into the emulated kernel by
 * iptables-restore and walked by probes) give the same answer.
 */
class DataPlaneAgreementTest {

  /** Runs the lab of a cluster's flows; returns the exit code and the lab's output. */
  static LabOutcome check(ClusterState state, List<LabScript.Flow> flows) {
    var judge = new Judge(new PolicyIndex(state, Semantics.KUBERNETES));
    String lab =
        LabScript.render(
            state,
            flows,
            (f, s) ->
                judge
                    .allowed(endpoint(s, f.from()), endpoint(s, f.to()))
                    .allows(f.protocol(), f.port()));
    var out = new ByteArrayOutputStream();
    var ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code =
        new LabRun("generated.lab", Path.of("."), new KernelLabWorld(), ps, ps, LabRun.Format.TEXT)
            .run(lab);
    return new LabOutcome(code, lab, out.toString(StandardCharsets.UTF_8));
  }

  record LabOutcome(int code, String lab, String output) {}

  static Endpoint endpoint(ClusterState s, String name) {
    return name.equals(LabScript.EXTERNAL)
        ? new Endpoint.External(AddressSet.of(IpAddress.parse(name)))
        : new Endpoint.Pod(s.pod(name).orElseThrow());
  }

  /** Every ordered pair of pods (and the external host) on the given ports. */
  static List<LabScript.Flow> allFlows(
      ClusterState s, List<Integer> tcpPorts, List<Integer> udpPorts) {
    var ends = new ArrayList<String>();
    s.pods().stream()
        .filter(p -> p.node().isPresent() && p.network() == PodInfo.Network.POD)
        .forEach(p -> ends.add(p.key()));
    ends.add(LabScript.EXTERNAL);
    var flows = new ArrayList<LabScript.Flow>();
    for (String a : ends) {
      for (String b : ends) {
        if (a.equals(b)) {
          continue;
        }
        tcpPorts.forEach(p -> flows.add(new LabScript.Flow(a, b, Protocol.TCP, p)));
        udpPorts.forEach(p -> flows.add(new LabScript.Flow(a, b, Protocol.UDP, p)));
      }
    }
    return flows;
  }

  @Test
  void shopRulesDropAndDeliverExactlyAsTheJudgeSays() throws Exception {
    var state = RuleCompilerTest.shop();
    var r = check(state, allFlows(state, List.of(8080, 9090, 1001), List.of(53)));
    assertThat(r.code()).as("lab:%n%s%noutput:%n%s", r.lab(), r.output()).isZero();
    // The same lab ships as examples/shop/enforcement.lab.
    Golden.assertMatches("enforce/shop.lab", r.lab());
  }
}
