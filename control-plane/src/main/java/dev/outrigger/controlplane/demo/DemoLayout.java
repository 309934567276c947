package dev.outrigger.controlplane.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Where every part of the demo listens: the control plane on its default ports (so {@code ctl}
 * works against it unchanged), and per sample service its app and its sidecar's admin, outbound
 * and inbound ports; all shifted by one offset when the defaults are taken.
 */
record DemoLayout(int offset) {
  static final String NAMESPACE = "demo";
  static final String TRUST_DOMAIN = "cluster.local";

  /** One sample service: its app and its sidecar's ports. */
  record Workload(String service, int app, int admin, int outbound, int inbound) {
    String spiffeId() {
      return "spiffe://" + TRUST_DOMAIN + "/ns/" + NAMESPACE + "/sa/" + service;
    }
  }

  int xdsPort() {
    return 15010 + offset;
  }

  int caPort() {
    return 15012 + offset;
  }

  int adminPort() {
    return 15014 + offset;
  }

  /**
   * frontend (the traffic generator's sidecar, on Istio's own 15000/15001/15006), catalog and
   * catalog-v2, which the catalog route splits between.
   */
  List<Workload> workloads() {
    return List.of(
        workload("frontend", 18080, 15000),
        workload("catalog", 18081, 15100),
        workload("catalog-v2", 18082, 15200));
  }

  Workload frontend() {
    return workloads().get(0);
  }

  /** Every port the demo binds, for a check up front. */
  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>(List.of(xdsPort(), caPort(), adminPort()));
    workloads().forEach(w -> ports.addAll(List.of(w.app(), w.admin(), w.outbound(), w.inbound())));
    return ports;
  }

  private Workload workload(String service, int app, int base) {
    return new Workload(service, app + offset, base + offset, base + 1 + offset, base + 6 + offset);
  }
}
