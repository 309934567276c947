package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.VirtualHostConfig;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** What a matched route does, compiled: turns the request into a {@link RouteDecision}. */
@FunctionalInterface
interface Outcome {

  /** @param matchedLength how much of the path the route's path condition matched */
  RouteDecision decide(RequestView request, int matchedLength);

  /** @param levels the route's header mutations, most specific first */
  static Outcome compile(
      String routeName,
      VirtualHostConfig virtualHost,
      RouteAction action,
      List<HeaderMutations> levels,
      FilterLevels filters,
      IntUnaryOperator draw) {
    String virtualHostName = virtualHost.name();
    if (action instanceof RouteAction.Forward forward) {
      return new ForwardOutcome(
          routeName, virtualHostName, forward, levels, filters, draw, UpstreamPolicy.of(forward, virtualHost));
    }
    if (action instanceof RouteAction.Redirect redirect) {
      return new RedirectOutcome(routeName, virtualHostName, redirect, levels, filters.resolve());
    }
    RouteAction.DirectResponse direct = (RouteAction.DirectResponse) action;
    RouteDecision respond = new RouteDecision.Respond(
        routeName, virtualHostName, direct.status(), direct.body(), levels, filters.resolve());
    return (request, matchedLength) -> respond;
  }
}
