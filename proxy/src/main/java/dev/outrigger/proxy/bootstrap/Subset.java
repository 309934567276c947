package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import dev.outrigger.api.lb.v1.PeakEwma;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.envoy.type.v3.Int64Range;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The part of Envoy's v3 API that Outrigger implements, as data: per message type the fields that
 * may be set, per enum field the values that may be used (listing all of them still shuts out
 * numbers from a newer API), and per extension slot the typed configs that may go there. Anything else is rejected by {@link SubsetCheck}. docs/envoy-subset.md is the
 * prose version of this table; change both together.
 */
final class Subset {

  /**
   * A place that holds typed extension configs ({@code typed_config}, or the values of a map of
   * them), what the place is called in messages, and which config types it takes.
   */
  record ExtensionSlot(String kind, Set<Descriptor> types) {
    /** Where no slot was declared; takes nothing. */
    static final ExtensionSlot NONE = new ExtensionSlot("typed config", Set.of());

    boolean accepts(Descriptor type) {
      return types.contains(type);
    }

    /** "unsupported filter envoy.filters.http.lua": named as the document names it. */
    String unsupported(String name, String typeUrl) {
      return "unsupported " + kind + " " + (name.isEmpty() ? typeUrl : name);
    }
  }

  private static final String SDS_SOURCES = "not supported: a config source is ads ({ads: {}}); secrets also"
      + " come from static_resources.secrets or, for default and ROOTCA, from the proxy's identity source";

  static final Subset SUPPORTED =
      new Builder()
          // Bootstrap
          .fields(Bootstrap.getDescriptor(), "node", "static_resources", "admin")
          .fields(Node.getDescriptor(), "id", "cluster")
          .fields(Bootstrap.StaticResources.getDescriptor(), "listeners", "clusters", "secrets")
          .fields(Admin.getDescriptor(), "address")
          .fields(Address.getDescriptor(), "socket_address")
          .fields(SocketAddress.getDescriptor(), "address", "port_value")
          // Listener
          .fields(Listener.getDescriptor(), "name", "address", "filter_chains",
              "default_filter_chain", "listener_filters", "listener_filters_timeout",
              "per_connection_buffer_limit_bytes")
          .fields(FilterChain.getDescriptor(), "name", "filter_chain_match", "filters",
              "transport_socket")
          .fields(FilterChainMatch.getDescriptor(), "destination_port", "server_names",
              "transport_protocol", "application_protocols")
          .fields(ListenerFilter.getDescriptor(), "name", "typed_config")
          .slot(Listener.getDescriptor(), "listener_filters", "listener filter",
              TlsInspector.getDescriptor(), HttpInspector.getDescriptor())
          .fields(TlsInspector.getDescriptor())
          .fields(HttpInspector.getDescriptor())
          .fields(Filter.getDescriptor(), "name", "typed_config")
          .slot(FilterChain.getDescriptor(), "filters", "filter",
              HttpConnectionManager.getDescriptor(), TcpProxy.getDescriptor(),
              io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
          .fields(TransportSocket.getDescriptor(), "name", "typed_config")
          .slot(FilterChain.getDescriptor(), "transport_socket", "transport socket",
              DownstreamTlsContext.getDescriptor())
          // TLS
          .fields(DownstreamTlsContext.getDescriptor(), "common_tls_context",
              "require_client_certificate")
          .fields(UpstreamTlsContext.getDescriptor(), "common_tls_context", "sni")
          .fields(CommonTlsContext.getDescriptor(), "tls_certificates", "validation_context",
              "alpn_protocols", "tls_certificate_sds_secret_configs",
              "validation_context_sds_secret_config", "combined_validation_context", "tls_params")
          .fields(TlsCertificate.getDescriptor(), "certificate_chain", "private_key")
          .fields(CertificateValidationContext.getDescriptor(), "trusted_ca",
              "match_typed_subject_alt_names")
          // TLS identity: SDS secrets, SAN matchers, TLS parameters
          .fields(CommonTlsContext.CombinedCertificateValidationContext.getDescriptor(),
              "default_validation_context", "validation_context_sds_secret_config")
          .fields(SdsSecretConfig.getDescriptor(), "name", "sds_config")
          .fields(ConfigSource.getDescriptor(), "ads", "resource_api_version")
          .notYet(ConfigSource.getDescriptor(), "api_config_source", SDS_SOURCES)
          .notYet(ConfigSource.getDescriptor(), "path_config_source", SDS_SOURCES)
          .values(ConfigSource.getDescriptor(), "resource_api_version", "V3")
          .fields(AggregatedConfigSource.getDescriptor())
          .fields(SubjectAltNameMatcher.getDescriptor(), "san_type", "matcher")
          .fields(TlsParameters.getDescriptor(), "tls_minimum_protocol_version",
              "tls_maximum_protocol_version", "cipher_suites")
          .fields(Secret.getDescriptor(), "name", "tls_certificate", "validation_context")
          .fields(DataSource.getDescriptor(), "filename", "inline_bytes", "inline_string")
          // HTTP connection manager
          .fields(HttpConnectionManager.getDescriptor(), "codec_type", "stat_prefix",
              "route_config", "http_filters", "stream_idle_timeout", "request_timeout",
              "common_http_protocol_options", "max_request_headers_kb", "use_remote_address",
              "xff_num_trusted_hops", "generate_request_id", "access_log",
              "forward_client_cert_details", "set_current_client_cert_details")
          .values(HttpConnectionManager.getDescriptor(), "codec_type", "AUTO", "HTTP1", "HTTP2")
          .values(HttpConnectionManager.getDescriptor(), "forward_client_cert_details", "SANITIZE",
              "FORWARD_ONLY", "APPEND_FORWARD", "SANITIZE_SET", "ALWAYS_FORWARD_ONLY")
          .fields(HttpConnectionManager.SetCurrentClientCertDetails.getDescriptor(), "subject",
              "cert", "chain", "dns", "uri")
          .fields(HttpProtocolOptions.getDescriptor(), "idle_timeout")
          .fields(HttpFilter.getDescriptor(), "name", "typed_config")
          .slot(HttpConnectionManager.getDescriptor(), "http_filters", "HTTP filter",
              Router.getDescriptor())
          .fields(Router.getDescriptor())
          .slot(HttpConnectionManager.getDescriptor(), "access_log", "access logger",
              StdoutAccessLog.getDescriptor(), FileAccessLog.getDescriptor())
          // TCP proxy
          .fields(TcpProxy.getDescriptor(), "stat_prefix", "cluster", "weighted_clusters",
              "idle_timeout", "access_log")
          .fields(TcpProxy.WeightedCluster.getDescriptor(), "clusters")
          .fields(TcpProxy.WeightedCluster.ClusterWeight.getDescriptor(), "name", "weight")
          .slot(TcpProxy.getDescriptor(), "access_log", "access logger",
              StdoutAccessLog.getDescriptor(), FileAccessLog.getDescriptor())
          // RBAC: the network filter, the HTTP filter and its per-route override, and the rules
          // they share
          .fields(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
              "stat_prefix", "rules", "shadow_rules", "enforcement_type")
          .values(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
              "enforcement_type", "ONE_TIME_ON_FIRST_BYTE")
          .slot(HttpConnectionManager.getDescriptor(), "http_filters", "HTTP filter",
              io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
          .slot(VirtualHost.getDescriptor(), "typed_per_filter_config", "per-filter config",
              RBACPerRoute.getDescriptor())
          .slot(Route.getDescriptor(), "typed_per_filter_config", "per-filter config",
              RBACPerRoute.getDescriptor())
          .slot(WeightedCluster.ClusterWeight.getDescriptor(), "typed_per_filter_config", "per-filter config",
              RBACPerRoute.getDescriptor())
          .fields(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
              "rules", "shadow_rules")
          .fields(RBACPerRoute.getDescriptor(), "rbac")
          .fields(RBAC.getDescriptor(), "action", "policies")
          .values(RBAC.getDescriptor(), "action", "ALLOW", "DENY")
          .fields(Policy.getDescriptor(), "permissions", "principals")
          .fields(Permission.getDescriptor(), "any", "and_rules", "or_rules", "not_rule", "header",
              "url_path", "destination_port", "destination_ip")
          .fields(Permission.Set.getDescriptor(), "rules")
          .fields(Principal.getDescriptor(), "any", "authenticated", "and_ids", "or_ids", "not_id",
              "header", "direct_remote_ip", "remote_ip")
          .notYet(Principal.getDescriptor(), "source_ip",
              "deprecated in Envoy: use direct_remote_ip (the peer) or remote_ip (the client)")
          .fields(Principal.Set.getDescriptor(), "ids")
          .fields(Principal.Authenticated.getDescriptor(), "principal_name")
          .fields(PathMatcher.getDescriptor(), "path")
          .fields(CidrRange.getDescriptor(), "address_prefix", "prefix_len")
          // Access log
          .fields(AccessLog.getDescriptor(), "name", "typed_config")
          .fields(StdoutAccessLog.getDescriptor(), "log_format")
          .fields(FileAccessLog.getDescriptor(), "path", "log_format")
          .fields(SubstitutionFormatString.getDescriptor(), "json_format", "text_format_source")
          // Routes
          .fields(RouteConfiguration.getDescriptor(), "name", "virtual_hosts",
              "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add",
              "response_headers_to_remove")
          .fields(VirtualHost.getDescriptor(), "name", "domains", "routes",
              "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add",
              "response_headers_to_remove")
          .fields(Route.getDescriptor(), "name", "match", "route", "direct_response", "redirect",
              "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add",
              "response_headers_to_remove")
          .fields(RouteMatch.getDescriptor(), "prefix", "path", "safe_regex",
              "path_separated_prefix", "headers", "query_parameters", "grpc", "case_sensitive")
          .fields(RouteMatch.GrpcRouteMatchOptions.getDescriptor())
          .fields(HeaderMatcher.getDescriptor(), "name", "exact_match", "safe_regex_match",
              "prefix_match", "suffix_match", "contains_match", "present_match", "string_match",
              "invert_match")
          .fields(QueryParameterMatcher.getDescriptor(), "name", "string_match", "present_match")
          .fields(StringMatcher.getDescriptor(), "exact", "prefix", "suffix", "contains",
              "safe_regex", "ignore_case")
          .fields(RegexMatcher.getDescriptor(), "google_re2", "regex")
          .fields(RegexMatcher.GoogleRE2.getDescriptor())
          .fields(RegexMatchAndSubstitute.getDescriptor(), "pattern", "substitution")
          .fields(RouteAction.getDescriptor(), "cluster", "weighted_clusters", "cluster_header",
              "prefix_rewrite", "regex_rewrite", "host_rewrite_literal", "auto_host_rewrite",
              "timeout", "idle_timeout")
          .fields(WeightedCluster.getDescriptor(), "clusters")
          .fields(WeightedCluster.ClusterWeight.getDescriptor(), "name", "weight",
              "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add",
              "response_headers_to_remove")
          .fields(DirectResponseAction.getDescriptor(), "status", "body")
          .fields(RedirectAction.getDescriptor(), "scheme_redirect", "https_redirect",
              "host_redirect", "port_redirect", "path_redirect", "prefix_rewrite",
              "response_code", "strip_query")
          .values(RedirectAction.getDescriptor(), "response_code", "MOVED_PERMANENTLY", "FOUND",
              "SEE_OTHER", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT")
          .fields(HeaderValueOption.getDescriptor(), "header", "append", "append_action")
          .values(HeaderValueOption.getDescriptor(), "append_action", "APPEND_IF_EXISTS_OR_ADD",
              "ADD_IF_ABSENT", "OVERWRITE_IF_EXISTS_OR_ADD", "OVERWRITE_IF_EXISTS")
          .fields(HeaderValue.getDescriptor(), "key", "value")
          // Clusters
          .fields(Cluster.getDescriptor(), "name", "type", "connect_timeout", "lb_policy",
              "load_assignment", "dns_refresh_rate", "typed_extension_protocol_options",
              "transport_socket")
          .values(Cluster.getDescriptor(), "type", "STATIC", "STRICT_DNS", "LOGICAL_DNS", "EDS")
          .values(Cluster.getDescriptor(), "lb_policy", "ROUND_ROBIN", "LEAST_REQUEST", "RANDOM")
          .slot(Cluster.getDescriptor(), "transport_socket", "transport socket",
              UpstreamTlsContext.getDescriptor())
          .slot(Cluster.getDescriptor(), "typed_extension_protocol_options", "protocol options",
              io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
          .fields(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              .getDescriptor(), "explicit_http_config", "auto_config")
          .fields(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              .ExplicitHttpConfig.getDescriptor(), "http_protocol_options",
              "http2_protocol_options")
          .fields(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              .AutoHttpConfig.getDescriptor(), "http_protocol_options", "http2_protocol_options")
          .fields(Http1ProtocolOptions.getDescriptor())
          .fields(Http2ProtocolOptions.getDescriptor())
          .fields(ClusterLoadAssignment.getDescriptor(), "cluster_name", "endpoints")
          .fields(LocalityLbEndpoints.getDescriptor(), "lb_endpoints")
          .fields(LbEndpoint.getDescriptor(), "endpoint", "load_balancing_weight")
          .fields(Endpoint.getDescriptor(), "address")
          // Circuit breakers, retries, stream durations (added to messages listed above)
          .fields(Cluster.getDescriptor(), "circuit_breakers")
          .fields(CircuitBreakers.getDescriptor(), "thresholds")
          .fields(CircuitBreakers.Thresholds.getDescriptor(), "priority", "max_connections",
              "max_pending_requests", "max_requests", "max_retries", "retry_budget")
          .values(CircuitBreakers.Thresholds.getDescriptor(), "priority", "DEFAULT")
          .fields(CircuitBreakers.Thresholds.RetryBudget.getDescriptor(), "budget_percent",
              "min_retry_concurrency")
          .fields(Percent.getDescriptor(), "value")
          .fields(VirtualHost.getDescriptor(), "retry_policy", "per_request_buffer_limit_bytes",
              "include_request_attempt_count", "include_attempt_count_in_response")
          .fields(Route.getDescriptor(), "per_request_buffer_limit_bytes")
          .fields(RouteAction.getDescriptor(), "retry_policy", "max_stream_duration")
          .fields(RouteAction.MaxStreamDuration.getDescriptor(), "max_stream_duration",
              "grpc_timeout_header_max", "grpc_timeout_header_offset")
          .fields(RetryPolicy.getDescriptor(), "retry_on", "num_retries", "per_try_timeout",
              "retry_back_off", "retriable_status_codes", "retry_host_predicate",
              "host_selection_retry_max_attempts")
          .fields(RetryPolicy.RetryBackOff.getDescriptor(), "base_interval", "max_interval")
          .fields(RetryPolicy.RetryHostPredicate.getDescriptor(), "name", "typed_config")
          .slot(RetryPolicy.getDescriptor(), "retry_host_predicate", "retry host predicate",
              PreviousHostsPredicate.getDescriptor())
          .fields(PreviousHostsPredicate.getDescriptor())
          // Cluster health: active checks and outlier detection
          .fields(Cluster.getDescriptor(), "health_checks", "outlier_detection")
          .fields(HealthCheck.getDescriptor(), "timeout", "interval", "interval_jitter",
              "interval_jitter_percent", "unhealthy_threshold", "healthy_threshold",
              "http_health_check", "grpc_health_check", "tcp_health_check")
          .fields(HealthCheck.HttpHealthCheck.getDescriptor(), "host", "path", "expected_statuses",
              "codec_client_type")
          .values(HealthCheck.HttpHealthCheck.getDescriptor(), "codec_client_type", "HTTP1", "HTTP2")
          .fields(Int64Range.getDescriptor(), "start", "end")
          .fields(HealthCheck.GrpcHealthCheck.getDescriptor(), "service_name", "authority")
          .fields(HealthCheck.TcpHealthCheck.getDescriptor())
          .fields(OutlierDetection.getDescriptor(), "consecutive_5xx", "consecutive_gateway_failure",
              "consecutive_local_origin_failure", "enforcing_consecutive_5xx",
              "enforcing_consecutive_gateway_failure", "enforcing_consecutive_local_origin_failure",
              "split_external_local_origin_errors", "interval", "base_ejection_time",
              "max_ejection_time", "max_ejection_percent", "always_eject_one_host")
          // HTTP filters before the router, and their per-route overrides
          .slot(HttpConnectionManager.getDescriptor(), "http_filters", "HTTP filter",
              HTTPFault.getDescriptor(), LocalRateLimit.getDescriptor())
          .fields(VirtualHost.getDescriptor(), "typed_per_filter_config")
          .fields(Route.getDescriptor(), "typed_per_filter_config")
          .fields(WeightedCluster.ClusterWeight.getDescriptor(), "typed_per_filter_config")
          .slot(VirtualHost.getDescriptor(), "typed_per_filter_config", "per-filter config",
              HTTPFault.getDescriptor(), LocalRateLimit.getDescriptor())
          .slot(Route.getDescriptor(), "typed_per_filter_config", "per-filter config",
              HTTPFault.getDescriptor(), LocalRateLimit.getDescriptor())
          .slot(WeightedCluster.ClusterWeight.getDescriptor(), "typed_per_filter_config", "per-filter config",
              HTTPFault.getDescriptor(), LocalRateLimit.getDescriptor())
          .fields(FractionalPercent.getDescriptor(), "numerator", "denominator")
          .fields(HTTPFault.getDescriptor(), "delay", "abort", "max_active_faults")
          .fields(FaultDelay.getDescriptor(), "fixed_delay", "header_delay", "percentage")
          .fields(FaultDelay.HeaderDelay.getDescriptor())
          .fields(FaultAbort.getDescriptor(), "http_status", "grpc_status", "header_abort", "percentage")
          .fields(FaultAbort.HeaderAbort.getDescriptor())
          .fields(LocalRateLimit.getDescriptor(), "stat_prefix", "status", "token_bucket",
              "filter_enabled", "filter_enforced", "response_headers_to_add",
              "local_rate_limit_per_downstream_connection", "enable_x_ratelimit_headers")
          .values(LocalRateLimit.getDescriptor(), "enable_x_ratelimit_headers", "OFF", "DRAFT_VERSION_03")
          .fields(HttpStatus.getDescriptor(), "code")
          .fields(TokenBucket.getDescriptor(), "max_tokens", "tokens_per_fill", "fill_interval")
          .fields(RuntimeFractionalPercent.getDescriptor(), "default_value", "runtime_key")
          // Load balancing (issue 3)
          .fields(Cluster.getDescriptor(), "ring_hash_lb_config", "maglev_lb_config",
              "least_request_lb_config", "common_lb_config", "load_balancing_policy")
          .values(Cluster.getDescriptor(), "lb_policy", "RING_HASH", "MAGLEV")
          .fields(Cluster.RingHashLbConfig.getDescriptor(), "minimum_ring_size",
              "maximum_ring_size", "hash_function")
          .values(Cluster.RingHashLbConfig.getDescriptor(), "hash_function", "XX_HASH")
          .fields(Cluster.MaglevLbConfig.getDescriptor(), "table_size")
          .fields(Cluster.LeastRequestLbConfig.getDescriptor(), "choice_count")
          .fields(Cluster.CommonLbConfig.getDescriptor(), "healthy_panic_threshold")
          .fields(Percent.getDescriptor(), "value")
          .fields(LoadBalancingPolicy.getDescriptor(), "policies")
          .fields(LoadBalancingPolicy.Policy.getDescriptor(), "typed_extension_config")
          .fields(TypedExtensionConfig.getDescriptor(), "name", "typed_config")
          .slot(Cluster.getDescriptor(), "load_balancing_policy", "load balancing policy",
              RoundRobin.getDescriptor(), LeastRequest.getDescriptor(), Random.getDescriptor(),
              RingHash.getDescriptor(), Maglev.getDescriptor(), PeakEwma.getDescriptor())
          .fields(RoundRobin.getDescriptor())
          .fields(LeastRequest.getDescriptor(), "choice_count")
          .fields(Random.getDescriptor())
          .fields(RingHash.getDescriptor(), "hash_function", "minimum_ring_size",
              "maximum_ring_size")
          .values(RingHash.getDescriptor(), "hash_function", "DEFAULT_HASH", "XX_HASH")
          .fields(Maglev.getDescriptor(), "table_size")
          .fields(PeakEwma.getDescriptor(), "decay", "default_rtt")
          .fields(LocalityLbEndpoints.getDescriptor(), "priority")
          .fields(RouteAction.getDescriptor(), "hash_policy")
          .fields(RouteAction.HashPolicy.getDescriptor(), "header", "cookie",
              "connection_properties", "query_parameter", "terminal")
          .fields(RouteAction.HashPolicy.Header.getDescriptor(), "header_name")
          .fields(RouteAction.HashPolicy.Cookie.getDescriptor(), "name")
          .notYet(RouteAction.HashPolicy.Cookie.getDescriptor(), "ttl",
              "not supported: with a ttl Envoy generates the cookie when it is missing; Outrigger "
                  + "hashes only a cookie the request already has (leave ttl out)")
          .fields(RouteAction.HashPolicy.ConnectionProperties.getDescriptor(), "source_ip")
          .fields(RouteAction.HashPolicy.QueryParameter.getDescriptor(), "name")
          // xDS: the ADS stream of the bootstrap, and what dynamic resources name through it
          .fields(Bootstrap.getDescriptor(), "dynamic_resources")
          .fields(Bootstrap.DynamicResources.getDescriptor(), "ads_config", "lds_config", "cds_config")
          .fields(ApiConfigSource.getDescriptor(), "api_type", "transport_api_version", "grpc_services")
          .values(ApiConfigSource.getDescriptor(), "api_type", "GRPC", "DELTA_GRPC")
          .values(ApiConfigSource.getDescriptor(), "transport_api_version", "V3")
          .fields(GrpcService.getDescriptor(), "envoy_grpc")
          .fields(GrpcService.EnvoyGrpc.getDescriptor(), "cluster_name")
          .fields(Node.getDescriptor(), "metadata")
          .fields(HttpConnectionManager.getDescriptor(), "rds")
          .fields(Rds.getDescriptor(), "config_source", "route_config_name")
          .fields(Cluster.getDescriptor(), "eds_cluster_config")
          .fields(Cluster.EdsClusterConfig.getDescriptor(), "eds_config", "service_name")
          // Request mirroring (the mesh model's RequestMirror)
          .fields(RouteAction.getDescriptor(), "request_mirror_policies")
          .fields(RouteAction.RequestMirrorPolicy.getDescriptor(), "cluster", "runtime_fraction",
              "disable_shadow_host_suffix_append")
          .build();

  private final Map<Descriptor, Set<FieldDescriptor>> fields;
  private final Map<FieldDescriptor, Set<EnumValueDescriptor>> values;
  private final Map<FieldDescriptor, String> notYet;
  private final Map<FieldDescriptor, ExtensionSlot> slots;
  private final Set<Descriptor> extensionTypes;
  private final TypeRegistry typeRegistry;

  private Subset(Builder builder) {
    this.fields = Map.copyOf(builder.fields);
    this.values = Map.copyOf(builder.values);
    this.notYet = Map.copyOf(builder.notYet);
    this.slots = Map.copyOf(builder.slots);
    this.extensionTypes = slots.values().stream()
        .flatMap(slot -> slot.types().stream())
        .collect(Collectors.toUnmodifiableSet());
    this.typeRegistry = TypeRegistry.newBuilder().add(extensionTypes).build();
  }

  /** Well-known types (durations, wrappers, Struct) are values, not places for more fields. */
  static boolean isValueType(Descriptor type) {
    return type.getFile().getPackage().equals("google.protobuf") && !isTypedConfig(type);
  }

  /** A {@code google.protobuf.Any}: a typed config whose type the document names. */
  static boolean isTypedConfig(Descriptor type) {
    return type.getFullName().equals(Any.getDescriptor().getFullName());
  }

  /**
   * Resolves {@code @type} for JSON parsing. It also knows the types those depend on, so look up
   * extensions with {@link #extensionType}.
   */
  TypeRegistry typeRegistry() {
    return typeRegistry;
  }

  /** The config type a type URL names, when some slot of the subset takes it; else null. */
  Descriptor extensionType(String typeUrl) {
    try {
      Descriptor type = typeRegistry.getDescriptorForTypeUrl(typeUrl);
      return type != null && extensionTypes.contains(type) ? type : null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Every field that may be set, for checks that the documentation keeps up. */
  Set<FieldDescriptor> allowedFields() {
    return fields.values().stream().flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
  }

  boolean allows(FieldDescriptor field) {
    Set<FieldDescriptor> allowed = fields.get(field.getContainingType());
    return allowed != null && allowed.contains(field);
  }

  /** Why {@code field} is rejected when the reason is more than "outside the subset", else null. */
  String notYetReason(FieldDescriptor field) {
    return notYet.get(field);
  }

  /** The enum values {@code field} may take, or null when every value is allowed. */
  Set<EnumValueDescriptor> allowedValues(FieldDescriptor field) {
    return values.get(field);
  }

  /** The extension slot that {@code field} opens, or null when it is not one. */
  ExtensionSlot slot(FieldDescriptor field) {
    return slots.get(field);
  }

  /**
   * Builds the table and checks that it is closed: every allowed message field has an entry.
   * Entries for the same type or slot add up, so a feature can list its fields in a block of its own.
   */
  private static final class Builder {
    private final Map<Descriptor, Set<FieldDescriptor>> fields = new HashMap<>();
    private final Map<FieldDescriptor, Set<EnumValueDescriptor>> values = new HashMap<>();
    private final Map<FieldDescriptor, String> notYet = new HashMap<>();
    private final Map<FieldDescriptor, ExtensionSlot> slots = new HashMap<>();

    /** Allows {@code names} of {@code type}, beside any allowed by an earlier entry for it. */
    Builder fields(Descriptor type, String... names) {
      Set<FieldDescriptor> allowed = new LinkedHashSet<>(fields.getOrDefault(type, Set.of()));
      for (String name : names) {
        allowed.add(field(type, name));
      }
      fields.merge(type, Set.copyOf(allowed), Builder::union);
      return this;
    }

    Builder notYet(Descriptor type, String name, String reason) {
      notYet.put(field(type, name), reason);
      return this;
    }

    /** Allows these values of the enum field; a second call for the same field adds to the first. */
    Builder values(Descriptor type, String name, String... valueNames) {
      FieldDescriptor field = field(type, name);
      if (field.isRepeated()) {
        throw new IllegalArgumentException(field.getFullName() + ": only singular enums can be limited");
      }
      Set<EnumValueDescriptor> allowed = new LinkedHashSet<>(values.getOrDefault(field, Set.of()));
      for (String valueName : valueNames) {
        EnumValueDescriptor value = field.getEnumType().findValueByName(valueName);
        if (value == null) {
          throw new IllegalArgumentException(field.getFullName() + " has no value " + valueName);
        }
        allowed.add(value);
      }
      values.put(field, Set.copyOf(allowed));
      return this;
    }

    Builder slot(Descriptor type, String name, String kind, Descriptor... configTypes) {
      slots.merge(field(type, name), new ExtensionSlot(kind, Set.of(configTypes)),
          (earlier, more) -> new ExtensionSlot(earlier.kind(), union(earlier.types(), more.types())));
      return this;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
      Set<T> all = new LinkedHashSet<>(a);
      all.addAll(b);
      return Set.copyOf(all);
    }

    Subset build() {
      for (Set<FieldDescriptor> allowed : fields.values()) {
        for (FieldDescriptor field : allowed) {
          if (needsEntry(field) && !fields.containsKey(field.getMessageType())) {
            throw new IllegalStateException(field.getFullName() + " is allowed but its type "
                + field.getMessageType().getFullName() + " has no entry");
          }
        }
      }
      for (ExtensionSlot slot : slots.values()) {
        List<String> missing = slot.types().stream()
            .filter(type -> !fields.containsKey(type))
            .map(Descriptor::getFullName)
            .collect(Collectors.toList());
        if (!missing.isEmpty()) {
          throw new IllegalStateException("slot types without an entry: " + missing);
        }
      }
      return new Subset(this);
    }

    private static boolean needsEntry(FieldDescriptor field) {
      return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !isValueType(field.getMessageType())
          && !isTypedConfig(field.getMessageType())
          && !field.isMapField();
    }

    private static FieldDescriptor field(Descriptor type, String name) {
      FieldDescriptor field = type.findFieldByName(name);
      if (field == null) {
        throw new IllegalArgumentException(type.getFullName() + " has no field " + name);
      }
      return field;
    }
  }
}
