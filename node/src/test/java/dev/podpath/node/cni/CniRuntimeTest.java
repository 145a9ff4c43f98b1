package dev.podpath.node.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniRuntimeTest {

  record Call(String type, String command, String stdin) {}

  /** A recording fake: answers each ADD with its prevResult plus a marker. */
  static final class Recording implements CniInvoker {
    final List<Call> calls = new ArrayList<>();

    @Override
    public ExecResult exec(String type, Map<String, String> env, String stdin) {
      calls.add(new Call(type, env.get("CNI_COMMAND"), stdin));
      if (!env.get("CNI_COMMAND").equals("ADD")) {
        return new ExecResult(0, "", "");
      }
      if (type.equals("broken")) {
        return new ExecResult(1, "{\n    \"code\": 7,\n    \"msg\": \"bad config\"\n}", "");
      }
      var result = CniJson.object().put("cniVersion", "1.0.0");
      result.putArray("seen").add(type);
      return new ExecResult(0, CniJson.indented(result), "");
    }
  }

  static final String LIST =
      """
      {"cniVersion": "1.0.0", "name": "podnet", "plugins": [
        {"type": "bridge", "bridge": "cbr0", "ipam": {"type": "host-local", "subnet": "10.244.1.0/24"}},
        {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
      ]}""";

  @Test
  void addRunsPluginsInOrderChainingPrevResultAndCapabilities() throws Exception {
    var rec = new Recording();
    var runtime = new CniRuntime(rec, "/opt/cni/bin");
    var list = NetworkConfigList.parse(LIST);
    JsonNode mappings =
        CniJson.MAPPER.readTree(
            "[{\"hostPort\": 8080, \"containerPort\": 80, \"protocol\": \"tcp\"}]");
    runtime.add(
        list,
        "ctr1",
        "/var/run/netns/p1",
        "eth0",
        Map.of("portMappings", mappings, "bandwidth", mappings));

    assertThat(rec.calls).extracting(Call::type).containsExactly("bridge", "portmap");
    var first = CniJson.MAPPER.readTree(rec.calls.get(0).stdin());
    assertThat(first.path("name").asText()).isEqualTo("podnet");
    assertThat(first.path("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(first.has("prevResult")).isFalse();
    assertThat(first.has("runtimeConfig")).isFalse();
    var second = CniJson.MAPPER.readTree(rec.calls.get(1).stdin());
    assertThat(second.has("capabilities")).isFalse();
    assertThat(second.path("runtimeConfig").fieldNames())
        .toIterable()
        .containsExactly("portMappings");
    assertThat(second.path("prevResult").path("seen").get(0).asText()).isEqualTo("bridge");
    assertThat(second.path("snat").asBoolean()).isTrue();
  }

  @Test
  void delRunsInReverseWithTheStoredResult() throws Exception {
    var rec = new Recording();
    var runtime = new CniRuntime(rec, "/opt/cni/bin");
    var list = NetworkConfigList.parse(LIST);
    runtime.add(list, "ctr1", "/var/run/netns/p1", "eth0", Map.of());
    rec.calls.clear();
    runtime.del(list, "ctr1", "/var/run/netns/p1", "eth0", Map.of());
    assertThat(rec.calls).extracting(Call::type).containsExactly("portmap", "bridge");
    assertThat(
            CniJson.MAPPER
                .readTree(rec.calls.get(0).stdin())
                .path("prevResult")
                .path("seen")
                .get(0)
                .asText())
        .isEqualTo("portmap");
    assertThat(runtime.result(new CniRuntime.Attachment("podnet", "ctr1", "eth0"))).isEmpty();
  }

  @Test
  void theFirstFailingPluginStopsTheAddAndIsNamed() throws Exception {
    var rec = new Recording();
    var list =
        NetworkConfigList.parse(LIST.replace("\"type\": \"bridge\"", "\"type\": \"broken\""));
    assertThatThrownBy(
            () -> new CniRuntime(rec, "/opt/cni/bin").add(list, "c", "/n", "eth0", Map.of()))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("plugin type=\"broken\" failed (7): bad config");
    assertThat(rec.calls).hasSize(1);
  }

  @Test
  void badListsAreRejectedNamingTheProblem() {
    assertThatThrownBy(
            () ->
                NetworkConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}"))
        .hasMessageContaining("no plugins in list");
    assertThatThrownBy(
            () ->
                NetworkConfigList.parse(
                    "{\"name\":\"bad name\",\"plugins\":[{\"type\":\"bridge\"}]}"))
        .hasMessageContaining("invalid characters found in network name");
    assertThatThrownBy(
            () ->
                NetworkConfigList.parse("{\"name\":\"n\",\"plugins\":[{\"type\":\"../bridge\"}]}"))
        .hasMessageContaining("invalid plugin type");
  }
}
