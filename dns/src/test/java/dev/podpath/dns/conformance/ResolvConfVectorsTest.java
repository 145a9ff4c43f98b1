package dev.podpath.dns.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podpath.dns.resolv.HostResolvConf;
import dev.podpath.dns.resolv.KubeletDns;
import dev.podpath.dns.resolv.PodDnsType;
import dev.podpath.dns.resolv.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The {@code kubelet_resolvconf} vectors of {@code specs/dns-vectors.yaml}. */
class ResolvConfVectorsTest {

  private static Map<String, Object> vectors() throws IOException {
    Optional<Map<String, Object>> file = VectorFile.load();
    Assumptions.assumeTrue(
        file.isPresent(), "shared/specs/dns-vectors.yaml absent: skipping resolv.conf vectors");
    return VectorFile.map(file.get().get("kubelet_resolvconf"));
  }

  @TestFactory
  Stream<DynamicNode> hostResolvConfParsesAsTheKubeletParsesIt() throws IOException {
    List<DynamicNode> tests = new ArrayList<>();
    int i = 0;
    for (Object o : VectorFile.list(vectors().get("parse_host_resolv_conf"))) {
      Map<String, Object> v = VectorFile.map(o);
      String data = (String) v.get("data");
      tests.add(
          DynamicTest.dynamicTest(
              "parse #" + i++ + " " + data.replace("\n", "\\n"),
              () -> {
                if (Boolean.TRUE.equals(v.get("error"))) {
                  assertThatThrownBy(() -> HostResolvConf.parse(data))
                      .isInstanceOf(HostResolvConf.ParseException.class);
                  return;
                }
                ResolvConf c = HostResolvConf.parse(data);
                assertThat(c.nameservers()).isEqualTo(strings(v.get("nameservers")));
                assertThat(c.searches()).isEqualTo(strings(v.get("searches")));
                assertThat(c.options()).isEqualTo(strings(v.get("options")));
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicNode> searchAndNameserverLimits() throws IOException {
    Map<String, Object> all = vectors();
    Map<String, Object> search = VectorFile.map(all.get("search_limits"));
    List<String> list2048 = new ArrayList<>();
    List<DynamicNode> tests = new ArrayList<>();
    for (Object o : VectorFile.list(search.get("cases"))) {
      Map<String, Object> v = VectorFile.map(o);
      boolean expanded = Boolean.TRUE.equals(v.get("expanded"));
      List<String> in = expand(v.get("in"), list2048);
      if (in.size() == 16) {
        list2048.addAll(in);
      }
      List<String> out = v.get("out").equals("same_as_in") ? in : expand(v.get("out"), list2048);
      tests.add(
          DynamicTest.dynamicTest(
              "search: " + v.get("desc"),
              () -> {
                List<String> events = new ArrayList<>();
                assertThat(KubeletDns.fitSearches(in, expanded, events)).isEqualTo(out);
                assertThat(!events.isEmpty()).isEqualTo(v.get("event"));
                if (!events.isEmpty()) {
                  assertThat(events.get(0))
                      .startsWith((String) search.get("event_prefix"))
                      .endsWith("the applied search line is: " + String.join(" ", out));
                }
              }));
    }
    for (Object o : VectorFile.list(all.get("nameserver_limits"))) {
      Map<String, Object> v = VectorFile.map(o);
      tests.add(
          DynamicTest.dynamicTest(
              "nameservers: " + v.get("in"),
              () -> {
                var cfg = new KubeletDns(List.of(), "", Optional.of(""), false, true);
                Pod pod = pod("testNS", "None", false, Map.of("nameservers", v.get("in")));
                var dns = cfg.forPod(pod);
                assertThat(dns.resolvConf().nameservers()).isEqualTo(strings(v.get("out")));
                assertThat(!dns.events().isEmpty()).isEqualTo(v.get("event"));
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicNode> policiesAndDnsConfigMerging() throws IOException {
    Map<String, Object> all = vectors();
    List<DynamicNode> tests = new ArrayList<>();
    for (Object o : VectorFile.list(all.get("merge_options"))) {
      Map<String, Object> v = VectorFile.map(o);
      tests.add(
          DynamicTest.dynamicTest(
              "options: " + v.get("dnsConfig"),
              () -> {
                var kubelet =
                    new KubeletDns(
                        List.of(),
                        "",
                        Optional.of("options " + String.join(" ", strings(v.get("base")))),
                        false,
                        true);
                Pod pod = pod("ns", "Default", false, Map.of("options", v.get("dnsConfig")));
                assertThat(kubelet.forPod(pod).resolvConf().options())
                    .containsExactlyInAnyOrderElementsOf(strings(v.get("out")));
              }));
    }
    for (Object o : VectorFile.list(all.get("policy_type"))) {
      Map<String, Object> v = VectorFile.map(o);
      tests.add(
          DynamicTest.dynamicTest(
              "policy: " + v,
              () -> {
                String policy = (String) v.get("dnsPolicy");
                boolean hostNet = Boolean.TRUE.equals(v.get("hostNetwork"));
                if (Boolean.TRUE.equals(v.get("error"))) {
                  assertThatThrownBy(() -> PodDnsType.of(policy, hostNet))
                      .isInstanceOf(IllegalArgumentException.class);
                } else {
                  assertThat(PodDnsType.of(policy, hostNet)).hasToString((String) v.get("type"));
                }
              }));
    }
    for (Object o :
        VectorFile.list(VectorFile.map(all.get("pod_dns_no_resolv_conf")).get("cases"))) {
      Map<String, Object> v = VectorFile.map(o);
      tests.add(
          DynamicTest.dynamicTest(
              "no resolv.conf: " + v,
              () -> {
                var kubelet =
                    new KubeletDns(
                        List.of("203.0.113.1"), "kubernetes.io", Optional.empty(), false, true);
                ResolvConf c =
                    kubelet
                        .forPod(
                            pod(
                                "",
                                (String) v.get("dnsPolicy"),
                                Boolean.TRUE.equals(v.get("hostNetwork")),
                                null))
                        .resolvConf();
                assertThat(c.nameservers()).isEqualTo(strings(v.get("servers")));
                if (v.containsKey("searches")) {
                  assertThat(c.searches()).isEqualTo(strings(v.get("searches")));
                } else {
                  assertThat(c.searches().get(0)).isEqualTo(v.get("searches_first"));
                }
              }));
    }
    Map<String, Object> custom = VectorFile.map(all.get("pod_dns_custom"));
    Map<String, Object> k = VectorFile.map(custom.get("kubelet"));
    var kubelet =
        new KubeletDns(
            strings(k.get("clusterDNS")),
            (String) k.get("clusterDomain"),
            Optional.of((String) k.get("host_resolv_conf")),
            false,
            true);
    for (Object o : VectorFile.list(custom.get("cases"))) {
      Map<String, Object> v = VectorFile.map(o);
      tests.add(
          DynamicTest.dynamicTest(
              "custom: " + v.get("desc"),
              () -> {
                Pod pod =
                    pod(
                        (String) custom.get("pod_namespace"),
                        (String) v.get("dnsPolicy"),
                        Boolean.TRUE.equals(v.get("hostNetwork")),
                        VectorFile.map(v.get("dnsConfig")));
                ResolvConf c = kubelet.forPod(pod).resolvConf();
                Map<String, Object> e = VectorFile.map(v.get("expect"));
                assertThat(c.nameservers()).isEqualTo(strings(e.get("servers")));
                assertThat(c.searches()).isEqualTo(strings(e.get("searches")));
                assertThat(c.options())
                    .containsExactlyInAnyOrderElementsOf(strings(e.get("options")));
              }));
    }
    for (Object o : VectorFile.list(all.get("docs_examples"))) {
      Map<String, Object> v = VectorFile.map(o);
      Map<String, Object> p = VectorFile.map(v.get("pod"));
      Map<String, Object> rc = VectorFile.map(v.get("resolv_conf"));
      tests.add(
          DynamicTest.dynamicTest(
              "docs: " + v.get("desc"),
              () -> {
                List<String> search = strings(rc.get("search"));
                String ns =
                    p.isEmpty()
                        ? search.get(0).substring(0, search.get(0).indexOf(".svc."))
                        : (String) p.get("namespace");
                String domain = p.isEmpty() ? search.get(search.size() - 1) : "cluster.local";
                var docsKubelet =
                    new KubeletDns(
                        strings(rc.get("nameservers")), domain, Optional.of(""), false, true);
                Pod pod =
                    pod(
                        ns,
                        p.isEmpty() ? "ClusterFirst" : (String) p.get("dnsPolicy"),
                        false,
                        VectorFile.map(p.get("dnsConfig")));
                ResolvConf c = docsKubelet.forPod(pod).resolvConf();
                assertThat(c.nameservers()).isEqualTo(strings(rc.get("nameservers")));
                assertThat(c.searches()).isEqualTo(search);
                assertThat(c.options())
                    .containsExactlyInAnyOrderElementsOf(strings(rc.get("options")));
              }));
    }
    return tests.stream();
  }

  private static Pod pod(
      String ns, String policy, boolean hostNetwork, Map<String, Object> dnsConfig) {
    Map<String, Object> spec = new java.util.HashMap<>();
    spec.put("dnsPolicy", policy);
    spec.put("hostNetwork", hostNetwork);
    if (dnsConfig != null && !dnsConfig.isEmpty()) {
      spec.put("dnsConfig", dnsConfig);
    } else if (dnsConfig != null) {
      spec.put("dnsConfig", null);
    }
    return VectorFile.JSON.convertValue(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Pod",
            "metadata",
            Map.of("name", "p", "namespace", ns),
            "spec",
            spec),
        Pod.class);
  }

  private static List<String> strings(Object o) {
    return VectorFile.list(o).stream().map(String::valueOf).toList();
  }

  /**
   * Expands {repeat, times} items, and the prose forms of the vectors' 2048-char and 32-path lists.
   */
  private static List<String> expand(Object o, List<String> list2048) {
    if (o instanceof String s) {
      if (s.startsWith("the 2048-char list above")) {
        List<String> out = new ArrayList<>(list2048);
        if (s.contains("+ [B]")) {
          out.add("B");
        }
        return out;
      }
      int to = Integer.parseInt(s.substring(s.lastIndexOf("..") + 2));
      List<String> out = new ArrayList<>(List.of("testNS.svc.TEST", "svc.TEST", "TEST"));
      for (int i = 4; i <= to; i++) {
        out.add(String.valueOf(i));
      }
      return out;
    }
    List<String> out = new ArrayList<>();
    for (Object item : VectorFile.list(o)) {
      if (item instanceof Map<?, ?> m) {
        out.add(String.valueOf(m.get("repeat")).repeat(((Number) m.get("times")).intValue()));
      } else {
        out.add(String.valueOf(item));
      }
    }
    return out;
  }
}
