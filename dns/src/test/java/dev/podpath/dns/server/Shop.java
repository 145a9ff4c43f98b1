package dev.podpath.dns.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podpath.dns.DnsOptions;
import dev.podpath.dns.cluster.ObjectCluster;
import dev.podpath.dns.forward.CacheSettings;
import dev.podpath.dns.forward.ResponseCache;
import dev.podpath.dns.forward.Upstream;
import dev.podpath.dns.records.RecordFactory;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.Yaml;

/** A tiny cluster for server tests: shop/web (10.96.0.20) and headless shop/db with db-0. */
final class Shop {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Shop() {}

  static Service service(String yaml) {
    return JSON.convertValue(new Yaml().load(yaml), Service.class);
  }

  static EndpointSlice slice(String yaml) {
    return JSON.convertValue(new Yaml().load(yaml), EndpointSlice.class);
  }

  static ObjectCluster cluster() {
    ObjectCluster c = ObjectCluster.create();
    c.apply(
        service(
            "{apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop},"
                + " spec: {clusterIP: 10.96.0.20, ports: [{name: http, port: 80, protocol: TCP}]}}"));
    c.apply(
        service(
            "{apiVersion: v1, kind: Service, metadata: {name: db, namespace: shop},"
                + " spec: {clusterIP: None, ports: [{name: pg, port: 5432, protocol: TCP}]}}"));
    c.apply(
        slice(
            "{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: db-1, namespace: shop,"
                + " labels: {kubernetes.io/service-name: db}}, addressType: IPv4, ports: [{name: pg, port: 5432, protocol: TCP}],"
                + " endpoints: [{addresses: [10.244.2.7], hostname: db-0, conditions: {ready: true}}]}"));
    return c;
  }

  static ClusterDns dns(ObjectCluster cluster, Optional<Upstream> upstream) {
    return new ClusterDns(
        cluster,
        DnsOptions.kubeadm("cluster.local"),
        upstream,
        new ResponseCache(CacheSettings.kubeadm(), System::nanoTime),
        () -> 1L);
  }

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(RecordFactory.name(name), type, DClass.IN));
  }

  static Message a(String name) {
    return query(name, Type.A);
  }

  static Map<String, Object> none() {
    return Map.of();
  }
}
