package dev.outrigger.benchmarks.harness;

/**
 * haproxy.cfg for each topology, doing what the Outrigger bootstraps do: HTTP/1.1 and h2c in
 * (two binds: HAProxy has no AUTO codec on cleartext), gRPC to the upstream's h2c port, the rest
 * over HTTP/1.1 with connection reuse; between a pair, HTTP/2 with optional mTLS.
 */
final class HaproxyConfig {
  private HaproxyConfig() {}

  static String edge(int threads, int http1Port, int h2cPort, Upstream upstream) {
    return global(threads) + frontend(bind(http1Port, h2cPort), """
          use_backend upstream-h2 if { path_beg /bench. }
          default_backend upstream-h1
        """) + upstreamBackends(upstream);
  }

  static String outbound(int threads, int http1Port, int h2cPort, int inboundPort,
      Certificates tls) {
    String transport = tls == null ? "proto h2" : "ssl crt %s ca-file %s verify required alpn h2"
        .formatted(tls.outbound.bundle(), tls.caCertificate);
    return global(threads) + frontend(bind(http1Port, h2cPort), "  default_backend inbound\n")
        + backend("inbound", "server inbound 127.0.0.1:%d %s".formatted(inboundPort, transport));
  }

  static String inbound(int threads, int port, Upstream upstream, Certificates tls) {
    String bind = tls == null ? "proto h2" : "ssl crt %s ca-file %s verify required alpn h2"
        .formatted(tls.inbound.bundle(), tls.caCertificate);
    return global(threads) + frontend("  bind 127.0.0.1:%d %s\n".formatted(port, bind), """
          use_backend upstream-h2 if { path_beg /bench. }
          default_backend upstream-h1
        """) + upstreamBackends(upstream);
  }

  private static String global(int threads) {
    return """
        global
          nbthread %d
        defaults
          mode http
          timeout connect 5s
          timeout client 30s
          timeout server 30s
        """.formatted(threads);
  }

  private static String bind(int http1Port, int h2cPort) {
    return "  bind 127.0.0.1:%d\n  bind 127.0.0.1:%d proto h2\n".formatted(http1Port, h2cPort);
  }

  private static String frontend(String binds, String routing) {
    return "frontend bench\n" + binds + routing;
  }

  private static String upstreamBackends(Upstream upstream) {
    return backend("upstream-h1", "server nginx 127.0.0.1:" + upstream.http1Port)
        + backend("upstream-h2", "server nginx 127.0.0.1:%d proto h2".formatted(upstream.h2cPort));
  }

  private static String backend(String name, String server) {
    return "backend %s\n  http-reuse always\n  %s\n".formatted(name, server);
  }
}
