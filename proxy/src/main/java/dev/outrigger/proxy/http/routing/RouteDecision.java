package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** TEMP stub: the outcome of routing one request. */
public sealed interface RouteDecision
    permits RouteDecision.NoRoute, RouteDecision.Forward, RouteDecision.Respond, RouteDecision.Redirect {

  record NoRoute() implements RouteDecision {}

  record Forward(
      String routeName,
      String virtualHostName,
      Optional<String> cluster,
      String path,
      Optional<String> hostRewrite,
      boolean autoHostRewrite,
      Duration timeout,
      Optional<Duration> idleTimeout,
      List<HeaderMutations> headerMutations)
      implements RouteDecision {}

  record Respond(int status, Optional<String> body, List<HeaderMutations> headerMutations)
      implements RouteDecision {}

  record Redirect(int status, String location) implements RouteDecision {}
}
