package dev.outrigger.controlplane.model;

import java.util.List;
import java.util.Optional;

/**
 * Gateway API {@code GRPCRoute} ({@code gateway.networking.k8s.io/v1}) attached to Services:
 * gRPC calls matched by service/method and headers.
 */
public record GrpcRoute(Metadata metadata, List<ParentRef> parentRefs, List<Rule> rules)
    implements Resource {
  public GrpcRoute {
    parentRefs = List.copyOf(parentRefs);
    rules = List.copyOf(rules);
  }

  /** One rule; {@code matches} are ORed, none written matches every call. */
  public record Rule(Optional<String> name, List<Match> matches, List<RouteFilter> filters,
      List<BackendRef> backendRefs) {
    public Rule {
      matches = List.copyOf(matches);
      filters = List.copyOf(filters);
      backendRefs = List.copyOf(backendRefs);
    }
  }

  public record Match(Optional<MethodMatch> method, List<HeaderMatch> headers) {
    public Match {
      headers = List.copyOf(headers);
    }
  }

  /**
   * {@code method}: Exact (the default; {@code service} and/or {@code method}, at least one) or
   * RegularExpression on each. The path matched is {@code /<service>/<method>}.
   */
  public record MethodMatch(HeaderMatch.MatchType type, Optional<String> service,
      Optional<String> method) {}

  @Override
  public Kind kind() {
    return Kind.GRPC_ROUTE;
  }
}
