package dev.outrigger.controlplane.translate;

import com.google.protobuf.UInt32Value;
import dev.outrigger.controlplane.model.BackendRef;
import dev.outrigger.controlplane.model.HeaderModifier;
import dev.outrigger.controlplane.model.HttpRoute;
import dev.outrigger.controlplane.model.RouteFilter;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a Gateway API rule does once matched: its filters and backends as an Envoy route's action. */
final class RouteActions {
  /** Gateway API retries connection errors as well as the listed codes. */
  private static final String RETRY_ON = "connect-failure,refused-stream,reset";

  private RouteActions() {}

  /**
   * Fills {@code route} (its match already set) from a rule's filters, backends and, for
   * HTTPRoute, timeouts and retry.
   */
  static Route.Builder apply(Route.Builder route, List<RouteFilter> filters, List<BackendRef> backends,
      HttpRoute.Timeouts timeouts, Optional<HttpRoute.Retry> retry) {
    RouteAction.Builder action = RouteAction.newBuilder();
    for (RouteFilter filter : filters) {
      if (filter instanceof RouteFilter.RequestHeaderModifier) {
        HeaderModifier modifier = ((RouteFilter.RequestHeaderModifier) filter).modifier();
        route.addAllRequestHeadersToAdd(headers(modifier)).addAllRequestHeadersToRemove(sorted(modifier.remove()));
      } else if (filter instanceof RouteFilter.ResponseHeaderModifier) {
        HeaderModifier modifier = ((RouteFilter.ResponseHeaderModifier) filter).modifier();
        route.addAllResponseHeadersToAdd(headers(modifier)).addAllResponseHeadersToRemove(sorted(modifier.remove()));
      } else if (filter instanceof RouteFilter.UrlRewrite) {
        rewrite((RouteFilter.UrlRewrite) filter, route.getMatch().getPathSeparatedPrefix(), action);
      } else if (filter instanceof RouteFilter.RequestRedirect) {
        return route.setRedirect(redirect((RouteFilter.RequestRedirect) filter));
      } else if (filter instanceof RouteFilter.RequestMirror) {
        action.addRequestMirrorPolicies(mirror((RouteFilter.RequestMirror) filter));
      }
    }
    List<BackendRef> weighted = backends.stream().filter(backend -> backend.weight() > 0).toList();
    if (weighted.isEmpty()) {
      // Gateway API: a rule without (or with only zero-weight) backends answers 500.
      return route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(500));
    }
    if (weighted.size() == 1) {
      action.setCluster(cluster(weighted.get(0)));
    } else {
      WeightedCluster.Builder clusters = WeightedCluster.newBuilder();
      weighted.forEach(backend -> clusters.addClusters(WeightedCluster.ClusterWeight.newBuilder()
          .setName(cluster(backend)).setWeight(UInt32Value.of(backend.weight()))));
      action.setWeightedClusters(clusters);
    }
    // Gateway API sets no request timeout unless asked; Envoy's default would be 15 s.
    action.setTimeout(duration(timeouts.request().orElse(Duration.ZERO)));
    retry(retry, timeouts.backendRequest()).ifPresent(action::setRetryPolicy);
    return route.setRoute(action);
  }

  /** A copy to the backend's cluster; a fraction other than all as Envoy's runtime fraction (its default value). */
  private static RouteAction.RequestMirrorPolicy mirror(RouteFilter.RequestMirror mirror) {
    RouteAction.RequestMirrorPolicy.Builder policy = RouteAction.RequestMirrorPolicy.newBuilder()
        .setCluster(cluster(mirror.backend()));
    if (!mirror.mirrorsAll()) {
      policy.setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(fraction(mirror)));
    }
    return policy.build();
  }

  /** Exact for a denominator Envoy has (100, 10,000, 1,000,000), else rounded to millionths. */
  private static FractionalPercent fraction(RouteFilter.RequestMirror mirror) {
    FractionalPercent.Builder fraction = FractionalPercent.newBuilder();
    switch (mirror.denominator()) {
      case 100:
        return fraction.setNumerator(mirror.numerator()).setDenominator(FractionalPercent.DenominatorType.HUNDRED).build();
      case 10_000:
        return fraction.setNumerator(mirror.numerator()).setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND).build();
      default:
        long millionths = Math.round(mirror.numerator() * 1_000_000.0 / mirror.denominator());
        return fraction.setNumerator((int) millionths).setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }
  }

  private static Optional<RetryPolicy> retry(Optional<HttpRoute.Retry> retry,
      Optional<Duration> perTry) {
    if (retry.isEmpty() && perTry.isEmpty()) {
      return Optional.empty();
    }
    RetryPolicy.Builder policy = RetryPolicy.newBuilder();
    perTry.ifPresent(timeout -> policy.setPerTryTimeout(duration(timeout)));
    if (retry.isEmpty()) {
      // Only a per-try timeout: one try, bounded.
      return Optional.of(policy.setNumRetries(UInt32Value.of(0)).setRetryOn(RETRY_ON).build());
    }
    HttpRoute.Retry spec = retry.get();
    policy.setRetryOn(spec.codes().isEmpty() ? RETRY_ON : RETRY_ON + ",retriable-status-codes");
    policy.addAllRetriableStatusCodes(spec.codes());
    spec.attempts().ifPresent(attempts -> policy.setNumRetries(UInt32Value.of(attempts)));
    spec.backoff().ifPresent(backoff -> policy.setRetryBackOff(
        RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(duration(backoff))));
    return Optional.of(policy.build());
  }

  /**
   * ReplacePrefixMatch is {@code prefix_rewrite}, except that replacing a prefix by "/" must not
   * leave "//" ({@code /api/x} becomes {@code /x}, as Gateway API says): that is a regex rewrite.
   */
  private static void rewrite(RouteFilter.UrlRewrite rewrite, String matchedPrefix, RouteAction.Builder action) {
    rewrite.hostname().ifPresent(action::setHostRewriteLiteral);
    rewrite.path().ifPresent(path -> {
      if (path.type() == RouteFilter.PathModifier.Type.REPLACE_FULL_PATH) {
        action.setRegexRewrite(substitute("^.*$", path.value()));
      } else if (path.value().equals("/") && !matchedPrefix.isEmpty()) {
        action.setRegexRewrite(substitute("^" + Pattern.quote(matchedPrefix) + "/*", "/"));
      } else {
        action.setPrefixRewrite(path.value());
      }
    });
  }

  private static RegexMatchAndSubstitute substitute(String regex, String substitution) {
    return RegexMatchAndSubstitute.newBuilder().setPattern(RegexMatcher.newBuilder().setRegex(regex))
        .setSubstitution(substitution).build();
  }

  private static RedirectAction redirect(RouteFilter.RequestRedirect redirect) {
    RedirectAction.Builder action = RedirectAction.newBuilder()
        .setResponseCode(redirect.statusCode() == 301
            ? RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY : RedirectAction.RedirectResponseCode.FOUND);
    redirect.scheme().ifPresent(action::setSchemeRedirect);
    redirect.hostname().ifPresent(action::setHostRedirect);
    redirect.port().ifPresent(action::setPortRedirect);
    redirect.path().ifPresent(path -> {
      if (path.type() == RouteFilter.PathModifier.Type.REPLACE_PREFIX_MATCH) {
        action.setPrefixRewrite(path.value());
      } else {
        action.setPathRedirect(path.value());
      }
    });
    return action.build();
  }

  /** {@code set} overwrites, {@code add} appends; by name, so the output is stable. */
  private static List<HeaderValueOption> headers(HeaderModifier modifier) {
    List<HeaderValueOption> options = new ArrayList<>();
    new TreeMap<>(modifier.set()).forEach((name, value) ->
        options.add(header(name, value, HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
    new TreeMap<>(modifier.add()).forEach((name, value) ->
        options.add(header(name, value, HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
    return options;
  }

  private static HeaderValueOption header(String name, String value, HeaderValueOption.HeaderAppendAction action) {
    return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppendAction(action).build();
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().collect(Collectors.toList());
  }

  static String cluster(BackendRef backend) {
    return Names.outboundCluster(backend.service(), backend.port());
  }

  static com.google.protobuf.Duration duration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds())
        .setNanos(duration.getNano()).build();
  }
}
