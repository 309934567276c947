package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** TEMP stub so the exchange can be tested; replaced by the routing helper's implementation. */
public final class Router {
  private final RouteTableConfig config;

  private Router(RouteTableConfig config) {
    this.config = config;
  }

  public static Router compile(RouteTableConfig config) {
    return new Router(config);
  }

  public RouteDecision route(String authority, String path, HttpHeaders headers) {
    if (config.virtualHosts().isEmpty()) {
      return new RouteDecision.NoRoute();
    }
    VirtualHostConfig host = config.virtualHosts().get(0);
    for (RouteConfig route : host.routes()) {
      if (route.match().path() instanceof RouteMatchConfig.PathMatch.Prefix prefix
          && path.startsWith(prefix.prefix())) {
        return decide(host, route, path);
      }
    }
    return new RouteDecision.NoRoute();
  }

  private static RouteDecision decide(VirtualHostConfig host, RouteConfig route, String path) {
    if (route.action() instanceof RouteAction.Forward forward) {
      return new RouteDecision.Forward(
          route.name(),
          host.name(),
          forward.clusterHeader().isPresent()
              ? java.util.Optional.empty()
              : java.util.Optional.of(forward.clusters().entries().get(0).cluster()),
          path,
          forward.hostRewriteLiteral(),
          forward.autoHostRewrite(),
          forward.timeout(),
          forward.idleTimeout(),
          List.of());
    }
    if (route.action() instanceof RouteAction.DirectResponse direct) {
      return new RouteDecision.Respond(direct.status(), direct.body(), List.of());
    }
    RouteAction.Redirect redirect = (RouteAction.Redirect) route.action();
    return new RouteDecision.Redirect(redirect.responseCode(), redirect.pathRedirect().orElse(path));
  }
}
