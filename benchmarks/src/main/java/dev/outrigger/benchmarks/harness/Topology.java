package dev.outrigger.benchmarks.harness;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One way from the load generator to the upstream, with the proxy processes on it (none for
 * direct). Entry points: where HTTP/1.1 and where h2c (and gRPC) requests go.
 */
record Topology(String name, Shape shape, String proxy, InetSocketAddress http1,
    InetSocketAddress h2c, List<ProxyInstance> proxies) {

  /** What stands between client and upstream; the same shape of another proxy is the comparison. */
  enum Shape {
    DIRECT("direct"), SINGLE(""), PAIR("pair"), PAIR_MTLS("pair-mtls");

    final String suffix;

    Shape(String suffix) {
      this.suffix = suffix;
    }

    String topologyName(String proxy) {
      return this == DIRECT ? suffix : suffix.isEmpty() ? proxy : proxy + "-" + suffix;
    }
  }

  static final String HAPROXY = "haproxy";
  static final String OUTRIGGER = "outrigger";

  static Topology direct(Upstream upstream) {
    return new Topology("direct", Shape.DIRECT, "none", Ports.loopback(upstream.http1Port),
        Ports.loopback(upstream.h2cPort), List.of());
  }

  InetSocketAddress entry(Scenario scenario) {
    return scenario.multiplexed() ? h2c : http1;
  }

  /** The HAProxy topology of the same shape, which this one is compared with. */
  String haproxyCounterpart() {
    return shape.topologyName(HAPROXY);
  }
}
