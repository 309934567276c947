package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builders for the config records listener tests need. */
final class Chains {
  private Chains() {}

  static FilterChainMatch match(
      Integer port, List<String> serverNames, String transport, List<String> alpn) {
    return new FilterChainMatch(
        port == null ? OptionalInt.empty() : OptionalInt.of(port),
        serverNames,
        Optional.ofNullable(transport),
        alpn);
  }

  static FilterChainConfig chain(String name, FilterChainMatch match) {
    return new FilterChainConfig(name, match, Optional.empty(), filter());
  }

  static FilterChainConfig tlsChain(String name, FilterChainMatch match, DownstreamTlsConfig tls) {
    return new FilterChainConfig(name, match, Optional.of(tls), filter());
  }

  static FilterChainConfig httpTlsChain(
      String name, HttpConnectionManagerConfig.CodecType codec, DownstreamTlsConfig tls) {
    HttpConnectionManagerConfig hcm =
        new HttpConnectionManagerConfig(
            "http", codec, new RouteTableConfig("routes", List.of(), HeaderMutations.NONE),
            Duration.ZERO, Duration.ZERO, Duration.ZERO, 60, false, 0, true, List.of());
    return new FilterChainConfig(name, FilterChainMatch.ANY, Optional.of(tls), hcm);
  }

  static ListenerConfig listener(
      int port,
      List<ListenerConfig.Inspector> inspectors,
      Duration inspectionTimeout,
      List<FilterChainConfig> chains,
      FilterChainConfig defaultChain) {
    return new ListenerConfig(
        "test",
        new InetSocketAddress("127.0.0.1", port),
        inspectors,
        inspectionTimeout,
        chains,
        Optional.ofNullable(defaultChain),
        ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
  }

  /** The network filter is not run by these tests (the installer is a test one); any will do. */
  private static TcpProxyConfig filter() {
    return new TcpProxyConfig("test", WeightedClusters.single("unused"), Duration.ZERO, List.of());
  }
}
