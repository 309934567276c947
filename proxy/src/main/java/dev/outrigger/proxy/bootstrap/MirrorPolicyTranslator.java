package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.MirrorPolicy;
import dev.outrigger.proxy.http.filter.Percentage;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * A route's {@code request_mirror_policies}: a named cluster (which must exist), the share of
 * requests as {@code runtime_fraction.default_value} (Outrigger has no runtime: {@code runtime_key}
 * never overrides it), and {@code disable_shadow_host_suffix_append}.
 */
final class MirrorPolicyTranslator {
  private final Translation translation;

  MirrorPolicyTranslator(Translation translation) {
    this.translation = translation;
  }

  List<MirrorPolicy> translate(List<RequestMirrorPolicy> policies, FieldPath path) {
    List<MirrorPolicy> mirrors = new ArrayList<>(policies.size());
    for (int i = 0; i < policies.size(); i++) {
      RequestMirrorPolicy policy = policies.get(i);
      FieldPath at = path.index(i);
      if (policy.getCluster().isEmpty()) {
        translation.error(at.field("cluster"), "a cluster is required");
        continue;
      }
      translation.referCluster(policy.getCluster(), at.field("cluster"));
      // Envoy: without runtime_fraction every request is mirrored.
      Percentage share = policy.hasRuntimeFraction() && policy.getRuntimeFraction().hasDefaultValue()
          ? Percentages.of(policy.getRuntimeFraction().getDefaultValue())
          : new Percentage(1, 1);
      mirrors.add(new MirrorPolicy(policy.getCluster(), share.numerator(), share.denominator(),
          !policy.getDisableShadowHostSuffixAppend()));
    }
    return mirrors;
  }
}
