package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import java.util.Optional;

/** {@code dynamic_resources} (already inside the subset) → {@link AdsSource}. */
final class DynamicResourcesTranslator {
  private final Translation translation;

  DynamicResourcesTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<AdsSource> translate(Bootstrap bootstrap, ProxyConfig staticConfig) {
    FieldPath path = FieldPath.ROOT.field("dynamic_resources");
    Bootstrap.DynamicResources dynamic = bootstrap.getDynamicResources();
    if (bootstrap.getNode().getId().isEmpty()) {
      translation.error(FieldPath.ROOT.field("node").field("id"), "required with dynamic_resources: the control plane knows a proxy by it");
    }
    boolean listeners = adsSource(dynamic.hasLdsConfig(), dynamic.getLdsConfig(), path.field("lds_config"));
    boolean clusters = adsSource(dynamic.hasCdsConfig(), dynamic.getCdsConfig(), path.field("cds_config"));
    if (!dynamic.hasAdsConfig()) {
      translation.error(path.field("ads_config"), "required: dynamic resources come over one ADS stream");
      return Optional.empty();
    }
    FieldPath adsPath = path.field("ads_config");
    ApiConfigSource ads = dynamic.getAdsConfig();
    boolean delta = ads.getApiType() == ApiConfigSource.ApiType.DELTA_GRPC;
    if (ads.getApiType() != ApiConfigSource.ApiType.GRPC && !delta) {
      translation.error(adsPath.field("api_type"), "required: GRPC or DELTA_GRPC");
    }
    if (ads.getTransportApiVersion() != ApiVersion.V3) {
      translation.error(adsPath.field("transport_api_version"), "required: V3");
    }
    Optional<ClusterConfig> cluster = adsCluster(ads, adsPath.field("grpc_services"), staticConfig);
    return cluster.map(c -> new AdsSource(delta, c, bootstrap.getNode(), listeners, clusters));
  }

  /** Whether {@code lds_config} / {@code cds_config} subscribes its type; ADS is the only source. */
  private boolean adsSource(boolean present, ConfigSource source, FieldPath path) {
    if (present && !source.hasAds()) {
      translation.oneOfRequired(path, "ads is required: {ads: {}} (the only config source)");
    }
    return present;
  }

  private Optional<ClusterConfig> adsCluster(ApiConfigSource ads, FieldPath path, ProxyConfig staticConfig) {
    if (ads.getGrpcServicesCount() != 1) {
      translation.error(path, "required: exactly one envoy_grpc service");
      return Optional.empty();
    }
    FieldPath namePath = path.index(0).field("envoy_grpc").field("cluster_name");
    String name = ads.getGrpcServices(0).getEnvoyGrpc().getClusterName();
    if (name.isEmpty()) {
      translation.error(namePath, "required: a cluster of static_resources");
      return Optional.empty();
    }
    ClusterConfig cluster = staticConfig.clusters().get(name);
    if (cluster == null) {
      translation.error(namePath, "unknown cluster " + Translation.quote(name) + " (must be in static_resources)");
      return Optional.empty();
    }
    if (cluster.protocol() != UpstreamProtocol.HTTP2) {
      translation.error(namePath, "cluster " + Translation.quote(name) + " must speak HTTP/2 (gRPC): set "
          + "typed_extension_protocol_options with explicit_http_config.http2_protocol_options");
      return Optional.empty();
    }
    if (cluster.endpoints().isEmpty()) {
      translation.error(namePath, "cluster " + Translation.quote(name) + " has no endpoints");
      return Optional.empty();
    }
    return Optional.of(cluster);
  }
}
