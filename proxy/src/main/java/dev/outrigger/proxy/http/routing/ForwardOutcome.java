package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteAction;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** {@code route}: picks the cluster and rewrites the path; the rest was fixed at compile time. */
final class ForwardOutcome implements Outcome {
  private final String routeName;
  private final String virtualHostName;
  private final ClusterChoice clusters;
  private final PathRewrite pathRewrite;
  private final RouteAction.Forward action;
  private final UpstreamPolicy upstreamPolicy;
  private final MirrorChoice mirrors;

  ForwardOutcome(
      String routeName,
      String virtualHostName,
      RouteAction.Forward action,
      List<HeaderMutations> levels,
      FilterLevels filters,
      IntUnaryOperator draw,
      UpstreamPolicy upstreamPolicy) {
    this.routeName = routeName;
    this.virtualHostName = virtualHostName;
    this.clusters = ClusterChoice.compile(action, levels, filters, draw);
    this.pathRewrite = pathRewrite(action);
    this.action = action;
    this.upstreamPolicy = upstreamPolicy;
    this.mirrors = new MirrorChoice(action.mirrorPolicies(), draw);
  }

  @Override
  public RouteDecision decide(RequestView request, int matchedLength) {
    ClusterChoice.Target target = clusters.choose(request);
    return new RouteDecision.Forward(
        routeName,
        virtualHostName,
        target.cluster(),
        pathRewrite.apply(request, matchedLength),
        action.hostRewriteLiteral(),
        action.autoHostRewrite(),
        action.timeout(),
        action.idleTimeout(),
        target.headerMutations(),
        upstreamPolicy,
        target.filters(),
        action.hashPolicies(),
        mirrors.choose());
  }

  private static PathRewrite pathRewrite(RouteAction.Forward action) {
    if (action.prefixRewrite().isPresent() && action.regexRewrite().isPresent()) {
      throw new IllegalArgumentException("prefix_rewrite and regex_rewrite are exclusive");
    }
    if (action.prefixRewrite().isPresent()) {
      return PathRewrite.prefix(action.prefixRewrite().get());
    }
    return action
        .regexRewrite()
        .map(regex -> PathRewrite.regex(regex.pattern(), regex.substitution()))
        .orElse(PathRewrite.NONE);
  }
}
