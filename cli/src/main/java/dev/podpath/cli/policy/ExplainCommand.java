package dev.podpath.cli.policy;

import dev.podpath.net.Protocol;
import dev.podpath.policy.analysis.Endpoints;
import dev.podpath.policy.analysis.ExplanationText;
import dev.podpath.policy.analysis.Renderer;
import dev.podpath.policy.analysis.ServiceBackends;
import dev.podpath.policy.eval.Endpoint;
import dev.podpath.policy.eval.Judge;
import dev.podpath.policy.eval.PolicyIndex;
import dev.podpath.policy.load.ClusterState;
import dev.podpath.policy.load.InputException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code podpath explain}: the verdict for one flow and the policies and rules behind it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Why NetworkPolicies allow or deny a flow: the policies that select each side "
            + "and the rules that admit it. Exit code 1 when a given port is denied.")
public final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PolicyOptions inputs;

  @Parameters(
      index = "0",
      paramLabel = "FROM",
      description = "NS/POD, NS/WORKLOAD or an IP address.")
  String from = "";

  @Parameters(
      index = "1",
      paramLabel = "TO[:PORT[/PROTO]]",
      description =
          "NS/POD, NS/WORKLOAD or an IP address, with an optional port and protocol "
              + "(TCP by default), e.g. shop/backend:8080/TCP; or svc/NS/NAME:PORT, judged on each "
              + "backend pod and target port (after DNAT).")
  String to = "";

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      ClusterState state = inputs.load();
      var judge = new Judge(new PolicyIndex(state, inputs.semantics()));
      if (to.startsWith("svc/")) {
        return explainService(state, judge);
      }
      String target = to;
      Optional<Renderer.PortQuery> port = Optional.empty();
      int colon = to.lastIndexOf(':');
      if (colon > 0 && to.indexOf(':') == colon) {
        target = to.substring(0, colon);
        port = Optional.of(port(to.substring(colon + 1)));
      }
      Endpoint src = find(state, from);
      Endpoint dst = find(state, target);
      var e = judge.explain(src, dst);
      out.print(ExplanationText.render(e, port));
      out.flush();
      return port.map(q -> e.allowed().allows(q.protocol(), q.port()) ? 0 : 1).orElse(0);
    } catch (InputException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  /** {@code svc/NS/NAME:PORT}: judged on each backend pod and target port, after DNAT. */
  private int explainService(ClusterState state, Judge judge) {
    var out = spec.commandLine().getOut();
    String rest = to.substring("svc/".length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("a Service target needs a port: svc/NS/NAME:PORT");
    }
    String service = rest.substring(0, colon);
    var backends = ServiceBackends.of(state, service, rest.substring(colon + 1));
    if (backends.isEmpty()) {
      out.println("Service " + service + " has no backend pod with that port: nothing to reach");
      out.flush();
      return 1;
    }
    Endpoint src = find(state, from);
    int code = 0;
    for (var b : backends) {
      out.println(
          "Service "
              + service
              + " port "
              + rest.substring(colon + 1)
              + " -> pod "
              + b.pod().key()
              + " port "
              + b.port()
              + "/"
              + b.protocol().name()
              + " (judged after DNAT)");
      var e = judge.explain(src, new Endpoint.Pod(b.pod()));
      var q = new Renderer.PortQuery(b.protocol(), b.port());
      out.print(ExplanationText.render(e, Optional.of(q)));
      out.println();
      if (!e.allowed().allows(q.protocol(), q.port())) {
        code = 1;
      }
    }
    out.flush();
    return code;
  }

  private static Endpoint find(ClusterState state, String name) {
    return Endpoints.resolve(state, name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no pod, workload or IP address named " + name + " in the manifests"));
  }

  private static Renderer.PortQuery port(String text) {
    int slash = text.indexOf('/');
    String num = slash < 0 ? text : text.substring(0, slash);
    Protocol proto =
        slash < 0
            ? Protocol.TCP
            : Protocol.find(text.substring(slash + 1))
                .filter(p -> p.hasPorts())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "protocol: expected TCP, UDP or SCTP in " + text));
    try {
      int p = Integer.parseInt(num);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return new Renderer.PortQuery(proto, p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port: expected 1-65535, got " + num, e);
    }
  }
}
