package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import java.util.ArrayList;
import java.util.List;

/** The names and ports the translator gives what it produces (Istio's cluster naming). */
final class Names {
  static final String OUTBOUND = "outbound";
  static final String INBOUND = "inbound";
  static final int OUTBOUND_PORT = 15001;
  static final int INBOUND_PORT = 15006;
  static final String ADS = "ads";
  static final String WORKLOAD_CERTIFICATE = "default";
  static final String WORKLOAD_BUNDLE = "ROOTCA";
  /** Kubernetes' default cluster domain: standalone services answer to the same long names. */
  static final String CLUSTER_DOMAIN = "cluster.local";

  private Names() {}

  /** {@code outbound|<port>||<name>.<namespace>}: a service port as callers reach it. */
  static String outboundCluster(ServiceKey service, int port) {
    return "outbound|" + port + "||" + service.name() + "." + service.namespace();
  }

  /**
   * {@code outbound-<port>.<name>.<namespace>.svc.cluster.local}: the SNI a sidecar sends to a
   * peer's inbound listener, which picks the TCP port's filter chain by it. Istio's form has
   * underscores ({@code outbound_.<port>_._.<host>}), which JDK TLS does not send as a host name.
   */
  static String tcpServerName(ServiceKey service, int port) {
    return "outbound-" + port + "." + service.name() + "." + service.namespace() + ".svc." + CLUSTER_DOMAIN;
  }

  /** {@code <name>.<namespace>:<port>}: a TCP upstream as node metadata names it, and its listener. */
  static String tcpUpstream(ServiceKey service, int port) {
    return service.name() + "." + service.namespace() + ":" + port;
  }

  /** {@code <name>.<namespace>:<port>}: the virtual host of a service port. */
  static String virtualHost(ServiceKey service, int port) {
    return service.name() + "." + service.namespace() + ":" + port;
  }

  /** {@code inbound|<port>||}: the local application behind service port {@code port}. */
  static String inboundCluster(int port) {
    return "inbound|" + port + "||";
  }

  /** The host names of {@code service}, shortest first. */
  static List<String> hosts(ServiceKey service) {
    String name = service.name();
    String namespaced = name + "." + service.namespace();
    return List.of(name, namespaced, namespaced + ".svc", namespaced + ".svc." + CLUSTER_DOMAIN);
  }

  /**
   * The authorities that reach {@code port}: every host name with {@code :port}, and without a
   * port for the service's first port (its default, as port 80 is a web server's).
   */
  static List<String> domains(Service service, Service.Port port) {
    ServiceKey key = key(service);
    List<String> domains = new ArrayList<>();
    boolean isDefault = service.ports().get(0).equals(port);
    for (String host : hosts(key)) {
      if (isDefault) {
        domains.add(host);
      }
      domains.add(host + ":" + port.port());
    }
    return domains;
  }

  static ServiceKey key(Service service) {
    return new ServiceKey(service.metadata().namespace(), service.metadata().name());
  }

  static String spiffeId(String trustDomain, String namespace, String serviceAccount) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
  }
}
