package dev.outrigger.controlplane.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Gateway API {@code HTTPRoute} ({@code gateway.networking.k8s.io/v1}) attached to Services
 * (GAMMA): requests to a parent service are matched against the rules in order of Gateway API
 * precedence and sent to the matching rule's backends.
 */
public record HttpRoute(Metadata metadata, List<ParentRef> parentRefs, List<Rule> rules)
    implements Resource {
  public HttpRoute {
    parentRefs = List.copyOf(parentRefs);
    rules = List.copyOf(rules);
  }

  /**
   * One rule. {@code matches} are ORed (none written: one PathPrefix "/" match, as Gateway API
   * defaults); no {@code backendRefs} and no redirect means requests get 500, as Gateway API says.
   */
  public record Rule(Optional<String> name, List<Match> matches, List<RouteFilter> filters,
      List<BackendRef> backendRefs, Timeouts timeouts, Optional<Retry> retry) {
    public Rule {
      matches = List.copyOf(matches);
      filters = List.copyOf(filters);
      backendRefs = List.copyOf(backendRefs);
    }
  }

  /** All given conditions must hold (AND). */
  public record Match(PathMatch path, List<HeaderMatch> headers, List<HeaderMatch> queryParams,
      Optional<String> method) {
    public Match {
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
    }
  }

  /** {@code path}: Exact, PathPrefix (whole segments, Gateway API semantics) or RegularExpression. */
  public record PathMatch(Type type, String value) {
    public enum Type { EXACT, PATH_PREFIX, REGULAR_EXPRESSION }

    public static final PathMatch ANY = new PathMatch(Type.PATH_PREFIX, "/");
  }

  /**
   * {@code timeouts}: {@code request} bounds the whole request including retries (Envoy's route
   * timeout), {@code backendRequest} each try (Envoy's per_try_timeout). Empty: none.
   */
  public record Timeouts(Optional<Duration> request, Optional<Duration> backendRequest) {
    public static final Timeouts NONE = new Timeouts(Optional.empty(), Optional.empty());
  }

  /**
   * {@code retry} (Gateway API HTTPRouteRetry): retry on these status codes (400-599), at most
   * {@code attempts} retries, waiting at least {@code backoff} between tries. Connection errors
   * are retried too, as Gateway API expects.
   */
  public record Retry(List<Integer> codes, OptionalInt attempts, Optional<Duration> backoff) {
    public Retry {
      codes = List.copyOf(codes);
    }
  }

  @Override
  public Kind kind() {
    return Kind.HTTP_ROUTE;
  }
}
