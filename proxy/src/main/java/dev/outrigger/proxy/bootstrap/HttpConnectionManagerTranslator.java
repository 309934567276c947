package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig.CodecType;
import dev.outrigger.proxy.config.HttpFilterConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code envoy.filters.network.http_connection_manager} with Envoy's defaults. */
final class HttpConnectionManagerTranslator {
  private static final String ROUTER = "envoy.filters.http.router";
  private static final int MAX_REQUEST_HEADERS_KB_LIMIT = 8192;

  private final Translation translation;

  HttpConnectionManagerTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<HttpConnectionManagerConfig> translate(HttpConnectionManager hcm, FieldPath path) {
    if (hcm.getStatPrefix().isEmpty()) {
      translation.error(path.field("stat_prefix"), "required");
    }
    Map<String, String> filterTypes = new HashMap<>();
    List<HttpFilterConfig> filters = filters(hcm.getHttpFiltersList(), path.field("http_filters"), filterTypes);
    PerFilterConfigTranslator perFilter =
        new PerFilterConfigTranslator(translation, HttpFilterRegistry.BUILT_IN, filterTypes);
    Optional<RouteTableConfig> routes = Optional.empty();
    if (hcm.hasRouteConfig()) {
      routes = Optional.of(new RouteTranslator(translation, perFilter).translate(hcm.getRouteConfig(), path.field("route_config")));
    } else if (hcm.hasRds()) {
      routes = rds(hcm.getRds(), path.field("rds"), perFilter);
    } else {
      translation.error(path, "one of route_config, rds is required");
    }
    Duration streamIdle = hcm.hasStreamIdleTimeout()
        ? translation.duration(hcm.getStreamIdleTimeout(), path.field("stream_idle_timeout"))
        : HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT;
    Duration request = translation.duration(hcm.getRequestTimeout(), path.field("request_timeout"));
    Duration idle = hcm.getCommonHttpProtocolOptions().hasIdleTimeout()
        ? translation.duration(hcm.getCommonHttpProtocolOptions().getIdleTimeout(),
            path.field("common_http_protocol_options").field("idle_timeout"))
        : HttpConnectionManagerConfig.DEFAULT_IDLE_TIMEOUT;
    int maxHeadersKb = maxRequestHeadersKb(hcm, path.field("max_request_headers_kb"));
    List<AccessLogConfig> accessLogs =
        new AccessLogTranslator(translation).translate(hcm.getAccessLogList(), path.field("access_log"));
    CodecType codec = CodecType.valueOf(hcm.getCodecType().name());
    boolean generateRequestId = !hcm.hasGenerateRequestId() || hcm.getGenerateRequestId().getValue();
    return routes.map(table -> new HttpConnectionManagerConfig(
        hcm.getStatPrefix(),
        codec,
        table,
        streamIdle,
        request,
        idle,
        maxHeadersKb,
        hcm.getUseRemoteAddress().getValue(),
        hcm.getXffNumTrustedHops(),
        generateRequestId,
        accessLogs,
        new ClientCertForwardingTranslator(translation).translate(hcm, path),
        filters));
  }

  /** Routes from RDS over the ADS stream, translated with this connection manager's filters. */
  private Optional<RouteTableConfig> rds(Rds rds, FieldPath path, PerFilterConfigTranslator perFilter) {
    if (!rds.getConfigSource().hasAds()) {
      translation.error(path.field("config_source"), "required: {ads: {}} (routes come over the ADS stream)");
    }
    if (rds.getRouteConfigName().isEmpty()) {
      translation.error(path.field("route_config_name"), "required");
      return Optional.empty();
    }
    return translation.routeConfiguration(rds.getRouteConfigName(), path)
        .map(found -> new RouteTranslator(translation, perFilter).translate(found.resource(), found.path()));
  }

  private int maxRequestHeadersKb(HttpConnectionManager hcm, FieldPath path) {
    if (!hcm.hasMaxRequestHeadersKb()) {
      return HttpConnectionManagerConfig.DEFAULT_MAX_REQUEST_HEADERS_KB;
    }
    int kb = hcm.getMaxRequestHeadersKb().getValue();
    if (kb < 1 || kb > MAX_REQUEST_HEADERS_KB_LIMIT) {
      translation.error(path, "must be between 1 and " + MAX_REQUEST_HEADERS_KB_LIMIT);
    }
    return kb;
  }

  /**
   * The filters before the router, which must end the chain, as in Envoy. Notes each filter's
   * config type by name in {@code types}, for the per-route overrides.
   */
  private List<HttpFilterConfig> filters(List<HttpFilter> filters, FieldPath path, Map<String, String> types) {
    if (filters.isEmpty()) {
      translation.error(path, "required: the last filter must be " + ROUTER);
      return List.of();
    }
    List<HttpFilterConfig> result = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      HttpFilter filter = filters.get(i);
      FieldPath filterPath = path.index(i);
      boolean last = i == filters.size() - 1;
      if (!filter.hasTypedConfig()) {
        translation.error(filterPath.field("typed_config"), "required");
      } else if (isRouter(filter) != last) {
        translation.error(filterPath, last ? "the last filter must be " + ROUTER : ROUTER + " must be the last filter");
      } else if (!last) {
        filter(filter, filterPath, types).ifPresent(result::add);
      }
    }
    return result;
  }

  private Optional<HttpFilterConfig> filter(HttpFilter filter, FieldPath path, Map<String, String> types) {
    if (filter.getName().isEmpty()) {
      translation.error(path.field("name"), "required: per-route configs find their filter by name");
      return Optional.empty();
    }
    if (types.putIfAbsent(filter.getName(), filter.getTypedConfig().getTypeUrl()) != null) {
      translation.error(path.field("name"), "another filter is named " + Translation.quote(filter.getName()));
      return Optional.empty();
    }
    return HttpFilterRegistry.BUILT_IN.filter(filter.getTypedConfig(), path.field("typed_config"), translation)
        .map(settings -> new HttpFilterConfig(filter.getName(), settings));
  }

  private static boolean isRouter(HttpFilter filter) {
    return filter.getTypedConfig().getTypeUrl().endsWith("/" + Router.getDescriptor().getFullName());
  }
}
