package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.http.routing.Router;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** An inline {@code RouteConfiguration}: virtual hosts, routes, matches and actions. */
final class RouteTranslator {
  private final Translation translation;
  private final HeaderMutationTranslator headers;
  private final HeaderMatcherTranslator headerMatchers;
  private final PerFilterConfigTranslator perFilter;

  RouteTranslator(Translation translation, PerFilterConfigTranslator perFilter) {
    this.translation = translation;
    this.headers = new HeaderMutationTranslator(translation);
    this.headerMatchers = new HeaderMatcherTranslator(translation);
    this.perFilter = perFilter;
  }

  RouteTableConfig translate(RouteConfiguration config, FieldPath path) {
    int errorsBefore = translation.errorCount();
    List<VirtualHostConfig> virtualHosts = new ArrayList<>();
    Map<String, FieldPath> domains = new HashMap<>();
    for (int i = 0; i < config.getVirtualHostsCount(); i++) {
      virtualHosts.add(virtualHost(config.getVirtualHosts(i), path.field("virtual_hosts").index(i), domains));
    }
    HeaderMutations mutations = headers.translate(config.getRequestHeadersToAddList(),
        config.getRequestHeadersToRemoveList(), config.getResponseHeadersToAddList(),
        config.getResponseHeadersToRemoveList(), path);
    RouteTableConfig table = new RouteTableConfig(config.getName(), virtualHosts, mutations);
    if (translation.errorCount() == errorsBefore) {
      // The router's own consistency checks, so that a table that loads is one the router takes;
      // skipped after other errors, whose echoes they would be.
      try {
        Router.compile(table);
      } catch (IllegalArgumentException e) {
        translation.error(path, e.getMessage());
      }
    }
    return table;
  }

  private VirtualHostConfig virtualHost(VirtualHost host, FieldPath path, Map<String, FieldPath> seenDomains) {
    if (host.getName().isEmpty()) {
      translation.error(path.field("name"), "required");
    }
    if (host.getDomainsCount() == 0) {
      translation.error(path.field("domains"), "required: at least one domain");
    }
    List<String> domains = new ArrayList<>();
    for (int i = 0; i < host.getDomainsCount(); i++) {
      FieldPath domainPath = path.field("domains").index(i);
      String domain = host.getDomains(i).toLowerCase(Locale.ROOT);
      if (!isDomainPattern(domain)) {
        translation.error(domainPath, "invalid domain " + Translation.quote(domain)
            + " (a wildcard may only stand at the start or the end)");
        continue;
      }
      FieldPath earlier = seenDomains.putIfAbsent(domain, domainPath);
      if (earlier != null) {
        translation.error(domainPath, "domain " + Translation.quote(domain) + " is already used at " + earlier);
      }
      domains.add(domain);
    }
    List<RouteConfig> routes = new ArrayList<>();
    for (int i = 0; i < host.getRoutesCount(); i++) {
      route(host.getRoutes(i), path.field("routes").index(i)).ifPresent(routes::add);
    }
    HeaderMutations mutations = headers.translate(host.getRequestHeadersToAddList(),
        host.getRequestHeadersToRemoveList(), host.getResponseHeadersToAddList(),
        host.getResponseHeadersToRemoveList(), path);
    ResilienceTranslator resilience = new ResilienceTranslator(translation);
    return new VirtualHostConfig(host.getName(), domains, routes, mutations,
        resilience.retryPolicy(host.hasRetryPolicy(), host.getRetryPolicy(), path.field("retry_policy")),
        resilience.bufferLimit(host.hasPerRequestBufferLimitBytes(), host.getPerRequestBufferLimitBytes()),
        host.getIncludeRequestAttemptCount(), host.getIncludeAttemptCountInResponse(),
        perFilter.translate(host.getTypedPerFilterConfigMap(), path.field("typed_per_filter_config")));
  }

  private static boolean isDomainPattern(String domain) {
    if (domain.isEmpty()) {
      return false;
    }
    int first = domain.indexOf('*');
    return first < 0 || domain.equals("*")
        || (first == domain.lastIndexOf('*') && (first == 0 || first == domain.length() - 1));
  }

  private Optional<RouteConfig> route(Route route, FieldPath path) {
    Optional<RouteMatchConfig> match = match(route.getMatch(), path.field("match"));
    Optional<RouteAction> action = action(route, path);
    HeaderMutations mutations = headers.translate(route.getRequestHeadersToAddList(),
        route.getRequestHeadersToRemoveList(), route.getResponseHeadersToAddList(),
        route.getResponseHeadersToRemoveList(), path);
    Map<String, HttpFilterSettings> filterOverrides =
        perFilter.translate(route.getTypedPerFilterConfigMap(), path.field("typed_per_filter_config"));
    if (match.isEmpty() || action.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RouteConfig(route.getName(), match.get(), action.get(), mutations, filterOverrides));
  }

  // --- match

  private Optional<RouteMatchConfig> match(RouteMatch match, FieldPath path) {
    Optional<PathMatch> pathMatch = pathMatch(match, path);
    List<RouteMatchConfig.HeaderMatcher> headerConditions = new ArrayList<>();
    for (int i = 0; i < match.getHeadersCount(); i++) {
      headerMatchers.translate(match.getHeaders(i), path.field("headers").index(i)).ifPresent(headerConditions::add);
    }
    List<RouteMatchConfig.QueryParameterMatcher> queryMatchers = new ArrayList<>();
    for (int i = 0; i < match.getQueryParametersCount(); i++) {
      queryMatcher(match.getQueryParameters(i), path.field("query_parameters").index(i))
          .ifPresent(queryMatchers::add);
    }
    boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    return pathMatch.map(p ->
        new RouteMatchConfig(p, caseSensitive, headerConditions, queryMatchers, match.hasGrpc()));
  }

  private Optional<PathMatch> pathMatch(RouteMatch match, FieldPath path) {
    switch (match.getPathSpecifierCase()) {
      case PREFIX:
        return Optional.of(new PathMatch.Prefix(match.getPrefix()));
      case PATH:
        return Optional.of(new PathMatch.Exact(match.getPath()));
      case SAFE_REGEX:
        return translation.regex(match.getSafeRegex(), path.field("safe_regex")).map(PathMatch.Regex::new);
      case PATH_SEPARATED_PREFIX:
        String prefix = match.getPathSeparatedPrefix();
        if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("?") || prefix.contains("#")) {
          translation.error(path.field("path_separated_prefix"), "must start with / and not end with /,"
              + " nor contain ? or #, got " + Translation.quote(prefix));
          return Optional.empty();
        }
        return Optional.of(new PathMatch.SeparatedPrefix(prefix));
      default:
        translation.error(path, "one of prefix, path, safe_regex, path_separated_prefix is required");
        return Optional.empty();
    }
  }

  private Optional<RouteMatchConfig.QueryParameterMatcher> queryMatcher(QueryParameterMatcher matcher, FieldPath path) {
    if (matcher.getName().isEmpty()) {
      translation.error(path.field("name"), "required");
      return Optional.empty();
    }
    switch (matcher.getQueryParameterMatchSpecifierCase()) {
      case STRING_MATCH:
        return new StringMatcherTranslator(translation)
            .translate(matcher.getStringMatch(), path.field("string_match"))
            .map(m -> new RouteMatchConfig.QueryParameterMatcher(matcher.getName(), Optional.of(m)));
      case PRESENT_MATCH:
        if (!matcher.getPresentMatch()) {
          translation.error(path.field("present_match"), "false is not supported (omit the matcher)");
          return Optional.empty();
        }
        return Optional.of(new RouteMatchConfig.QueryParameterMatcher(matcher.getName(), Optional.empty()));
      default:
        translation.error(path, "one of string_match, present_match is required");
        return Optional.empty();
    }
  }

  // --- action

  private Optional<RouteAction> action(Route route, FieldPath path) {
    switch (route.getActionCase()) {
      case ROUTE:
        return forward(route.getRoute(), path.field("route"),
            new ResilienceTranslator(translation)
                .bufferLimit(route.hasPerRequestBufferLimitBytes(), route.getPerRequestBufferLimitBytes()));
      case DIRECT_RESPONSE:
        return directResponse(route.getDirectResponse(), path.field("direct_response"));
      case REDIRECT:
        return redirect(route.getRedirect(), path.field("redirect"));
      default:
        translation.error(path, "one of route, direct_response, redirect is required");
        return Optional.empty();
    }
  }

  /** @param bufferLimit the enclosing {@code Route}'s {@code per_request_buffer_limit_bytes} */
  private Optional<RouteAction> forward(
      io.envoyproxy.envoy.config.route.v3.RouteAction action, FieldPath path, Optional<Integer> bufferLimit) {
    Optional<WeightedClusters> clusters = clusters(action, path);
    Optional<String> clusterHeader = action.hasClusterHeader()
        ? Optional.of(action.getClusterHeader().toLowerCase(Locale.ROOT))
        : Optional.empty();
    Optional<String> prefixRewrite = Translation.ifSet(action.getPrefixRewrite());
    Optional<RouteAction.RegexRewrite> regexRewrite = Optional.empty();
    if (action.hasRegexRewrite()) {
      if (prefixRewrite.isPresent()) {
        translation.error(path.field("regex_rewrite"), "cannot be combined with prefix_rewrite");
      }
      regexRewrite = regexRewrite(action.getRegexRewrite(), path.field("regex_rewrite"));
    }
    Duration timeout = action.hasTimeout()
        ? translation.duration(action.getTimeout(), path.field("timeout"))
        : RouteAction.Forward.DEFAULT_TIMEOUT;
    Optional<Duration> idleTimeout = action.hasIdleTimeout()
        ? Optional.of(translation.duration(action.getIdleTimeout(), path.field("idle_timeout")))
        : Optional.empty();
    ResilienceTranslator resilience = new ResilienceTranslator(translation);
    Optional<RetryPolicy> retryPolicy =
        resilience.retryPolicy(action.hasRetryPolicy(), action.getRetryPolicy(), path.field("retry_policy"));
    MaxStreamDuration maxStreamDuration = resilience.maxStreamDuration(action, path);
    if (clusters.isEmpty()) {
      return Optional.empty();
    }
    List<HashPolicy> hashPolicies =
        new HashPolicyTranslator(translation).translate(action.getHashPolicyList(), path.field("hash_policy"));
    return Optional.of(new RouteAction.Forward(clusters.get(), clusterHeader, prefixRewrite, regexRewrite,
        Translation.ifSet(action.getHostRewriteLiteral()), action.getAutoHostRewrite().getValue(), timeout,
        idleTimeout, retryPolicy, bufferLimit, maxStreamDuration, hashPolicies,
        new MirrorPolicyTranslator(translation).translate(action.getRequestMirrorPoliciesList(),
            path.field("request_mirror_policies"))));
  }

  /** The clusters to pick from; none when the cluster is named per request by a header. */
  private Optional<WeightedClusters> clusters(io.envoyproxy.envoy.config.route.v3.RouteAction action, FieldPath path) {
    switch (action.getClusterSpecifierCase()) {
      case CLUSTER:
        translation.referCluster(action.getCluster(), path.field("cluster"));
        return Optional.of(WeightedClusters.single(action.getCluster()));
      case WEIGHTED_CLUSTERS:
        return weightedClusters(action.getWeightedClusters(), path.field("weighted_clusters"));
      case CLUSTER_HEADER:
        if (!HeaderMutationTranslator.isHeaderName(action.getClusterHeader())) {
          translation.error(path.field("cluster_header"), "invalid header name "
              + Translation.quote(action.getClusterHeader()));
          return Optional.empty();
        }
        return Optional.of(WeightedClusters.of(List.of()));
      default:
        translation.error(path, "one of cluster, weighted_clusters, cluster_header is required");
        return Optional.empty();
    }
  }

  private Optional<WeightedClusters> weightedClusters(WeightedCluster weighted, FieldPath path) {
    FieldPath listPath = path.field("clusters");
    if (weighted.getClustersCount() == 0) {
      translation.error(listPath, "required: at least one cluster");
      return Optional.empty();
    }
    List<WeightedClusters.Entry> entries = new ArrayList<>();
    for (int i = 0; i < weighted.getClustersCount(); i++) {
      WeightedCluster.ClusterWeight entry = weighted.getClusters(i);
      FieldPath entryPath = listPath.index(i);
      translation.referCluster(entry.getName(), entryPath.field("name"));
      int weight = entry.hasWeight() ? entry.getWeight().getValue() : 0;
      if (weight < 1) {
        translation.error(entryPath.field("weight"), "must be at least 1");
      }
      HeaderMutations mutations = headers.translate(entry.getRequestHeadersToAddList(),
          entry.getRequestHeadersToRemoveList(), entry.getResponseHeadersToAddList(),
          entry.getResponseHeadersToRemoveList(), entryPath);
      entries.add(new WeightedClusters.Entry(entry.getName(), weight, mutations,
          perFilter.translate(entry.getTypedPerFilterConfigMap(), entryPath.field("typed_per_filter_config"))));
    }
    return Optional.of(WeightedClusters.of(entries));
  }

  private Optional<RouteAction.RegexRewrite> regexRewrite(RegexMatchAndSubstitute rewrite, FieldPath path) {
    if (!rewrite.hasPattern()) {
      translation.error(path.field("pattern"), "required");
      return Optional.empty();
    }
    Optional<Pattern> pattern = translation.regex(rewrite.getPattern(), path.field("pattern"));
    return pattern.map(p -> new RouteAction.RegexRewrite(p, rewrite.getSubstitution()));
  }

  private Optional<RouteAction> directResponse(DirectResponseAction response, FieldPath path) {
    int status = response.getStatus();
    if (status < 200 || status > 599) {
      translation.error(path.field("status"), "must be between 200 and 599, got " + status);
      return Optional.empty();
    }
    Optional<String> body = response.hasBody()
        ? translation.text(response.getBody(), path.field("body"))
        : Optional.empty();
    if (response.hasBody() && body.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RouteAction.DirectResponse(status, body));
  }

  private Optional<RouteAction> redirect(RedirectAction redirect, FieldPath path) {
    Optional<String> scheme = Optional.empty();
    if (redirect.getSchemeRewriteSpecifierCase() == RedirectAction.SchemeRewriteSpecifierCase.HTTPS_REDIRECT) {
      scheme = redirect.getHttpsRedirect() ? Optional.of("https") : Optional.empty();
    } else {
      scheme = Translation.ifSet(redirect.getSchemeRedirect().toLowerCase(Locale.ROOT));
    }
    Optional<Integer> port = Optional.empty();
    if (redirect.getPortRedirect() != 0
        && SocketAddresses.port(redirect.getPortRedirect(), 1, path.field("port_redirect"), translation)) {
      port = Optional.of(redirect.getPortRedirect());
    }
    return Optional.of(new RouteAction.Redirect(
        scheme,
        Translation.ifSet(redirect.getHostRedirect()),
        port,
        Translation.ifSet(redirect.getPathRedirect()),
        Translation.ifSet(redirect.getPrefixRewrite()),
        redirectCode(redirect.getResponseCode()),
        redirect.getStripQuery()));
  }

  private static int redirectCode(RedirectAction.RedirectResponseCode code) {
    switch (code) {
      case FOUND:
        return 302;
      case SEE_OTHER:
        return 303;
      case TEMPORARY_REDIRECT:
        return 307;
      case PERMANENT_REDIRECT:
        return 308;
      default:
        return 301;
    }
  }
}
