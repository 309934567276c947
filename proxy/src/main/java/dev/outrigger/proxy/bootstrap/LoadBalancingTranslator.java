package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import dev.outrigger.api.lb.v1.PeakEwma;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.LoadBalancerSettings;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * A cluster's balancer: {@code lb_policy} with its {@code *_lb_config}, or the typed {@code
 * load_balancing_policy} (the standard policies and Outrigger's peak-EWMA), plus {@code
 * common_lb_config.healthy_panic_threshold}; and the endpoints' priorities.
 */
final class LoadBalancingTranslator {
  static final long MAX_RING_SIZE = 8 * 1024 * 1024;
  static final long MAX_MAGLEV_TABLE_SIZE = 5_000_011;

  private final Translation translation;

  record Balancing(LbPolicy policy, LoadBalancerSettings settings) {}

  LoadBalancingTranslator(Translation translation) {
    this.translation = translation;
  }

  Balancing translate(Cluster cluster, FieldPath path) {
    Settings settings = new Settings();
    if (cluster.hasCommonLbConfig() && cluster.getCommonLbConfig().hasHealthyPanicThreshold()) {
      double threshold = cluster.getCommonLbConfig().getHealthyPanicThreshold().getValue();
      if (threshold < 0 || threshold > 100) {
        translation.error(path.field("common_lb_config").field("healthy_panic_threshold").field("value"),
            "must be between 0 and 100");
      }
      settings.panicThreshold = threshold;
    }
    LbPolicy policy = cluster.hasLoadBalancingPolicy()
        ? typedPolicy(cluster, settings, path)
        : enumPolicy(cluster, settings, path);
    return new Balancing(policy, settings.build());
  }

  private LbPolicy enumPolicy(Cluster cluster, Settings settings, FieldPath path) {
    LbPolicy policy = LbPolicy.valueOf(cluster.getLbPolicy().name());
    if (cluster.hasRingHashLbConfig() && only(policy, LbPolicy.RING_HASH, path.field("ring_hash_lb_config"))) {
      Cluster.RingHashLbConfig ring = cluster.getRingHashLbConfig();
      ringSizes(ring.hasMinimumRingSize() ? ring.getMinimumRingSize().getValue() : null,
          ring.hasMaximumRingSize() ? ring.getMaximumRingSize().getValue() : null,
          settings, path.field("ring_hash_lb_config"));
    }
    if (cluster.hasMaglevLbConfig() && only(policy, LbPolicy.MAGLEV, path.field("maglev_lb_config"))) {
      Cluster.MaglevLbConfig maglev = cluster.getMaglevLbConfig();
      if (maglev.hasTableSize()) {
        tableSize(maglev.getTableSize().getValue(), settings, path.field("maglev_lb_config").field("table_size"));
      }
    }
    if (cluster.hasLeastRequestLbConfig()
        && only(policy, LbPolicy.LEAST_REQUEST, path.field("least_request_lb_config"))) {
      Cluster.LeastRequestLbConfig leastRequest = cluster.getLeastRequestLbConfig();
      if (leastRequest.hasChoiceCount()) {
        choiceCount(leastRequest.getChoiceCount().getValue(), settings,
            path.field("least_request_lb_config").field("choice_count"));
      }
    }
    return policy;
  }

  private boolean only(LbPolicy policy, LbPolicy needed, FieldPath path) {
    if (policy != needed) {
      translation.error(path, "only with lb_policy " + needed + " (lb_policy is " + policy + ")");
      return false;
    }
    return true;
  }

  /** The first policy of the list: every entry is one the subset takes, so the first is Envoy's pick too. */
  private LbPolicy typedPolicy(Cluster cluster, Settings settings, FieldPath path) {
    FieldPath policyPath = path.field("load_balancing_policy");
    for (String legacy : List.of("ring_hash_lb_config", "maglev_lb_config", "least_request_lb_config")) {
      if (cluster.hasField(Cluster.getDescriptor().findFieldByName(legacy))) {
        translation.error(path.field(legacy), "cannot be combined with load_balancing_policy (configure the policy there)");
      }
    }
    if (cluster.getLbPolicy() != Cluster.LbPolicy.ROUND_ROBIN) {
      translation.error(path.field("lb_policy"), "cannot be combined with load_balancing_policy");
    }
    List<LoadBalancingPolicy.Policy> policies = cluster.getLoadBalancingPolicy().getPoliciesList();
    if (policies.isEmpty()) {
      translation.error(policyPath.field("policies"), "at least one policy is required");
      return LbPolicy.ROUND_ROBIN;
    }
    FieldPath configPath = policyPath.field("policies").index(0).field("typed_extension_config").field("typed_config");
    Any config = policies.get(0).getTypedExtensionConfig().getTypedConfig();
    if (config.is(RoundRobin.class)) {
      return LbPolicy.ROUND_ROBIN;
    }
    if (config.is(Random.class)) {
      return LbPolicy.RANDOM;
    }
    if (config.is(LeastRequest.class)) {
      translation.unpack(config, LeastRequest.class, configPath)
          .filter(LeastRequest::hasChoiceCount)
          .ifPresent(lr -> choiceCount(lr.getChoiceCount().getValue(), settings, configPath.field("choice_count")));
      return LbPolicy.LEAST_REQUEST;
    }
    if (config.is(RingHash.class)) {
      translation.unpack(config, RingHash.class, configPath)
          .ifPresent(ring -> ringSizes(ring.hasMinimumRingSize() ? ring.getMinimumRingSize().getValue() : null,
              ring.hasMaximumRingSize() ? ring.getMaximumRingSize().getValue() : null, settings, configPath));
      return LbPolicy.RING_HASH;
    }
    if (config.is(Maglev.class)) {
      translation.unpack(config, Maglev.class, configPath)
          .filter(Maglev::hasTableSize)
          .ifPresent(maglev -> tableSize(maglev.getTableSize().getValue(), settings, configPath.field("table_size")));
      return LbPolicy.MAGLEV;
    }
    if (config.is(PeakEwma.class)) {
      translation.unpack(config, PeakEwma.class, configPath).ifPresent(ewma -> {
        if (ewma.hasDecay()) {
          settings.ewmaDecay = translation.positiveDuration(ewma.getDecay(), configPath.field("decay"));
        }
        if (ewma.hasDefaultRtt()) {
          settings.ewmaDefaultRtt = translation.positiveDuration(ewma.getDefaultRtt(), configPath.field("default_rtt"));
        }
      });
      return LbPolicy.PEAK_EWMA;
    }
    // The subset check already rejected any other type; nothing is left to report here.
    return LbPolicy.ROUND_ROBIN;
  }

  private void ringSizes(Long minimum, Long maximum, Settings settings, FieldPath path) {
    if (minimum != null) {
      if (minimum < 1 || minimum > MAX_RING_SIZE) {
        translation.error(path.field("minimum_ring_size"), "must be between 1 and " + MAX_RING_SIZE);
      }
      settings.minimumRingSize = minimum;
    }
    if (maximum != null) {
      if (maximum < 1 || maximum > MAX_RING_SIZE) {
        translation.error(path.field("maximum_ring_size"), "must be between 1 and " + MAX_RING_SIZE);
      }
      settings.maximumRingSize = maximum;
    }
    if (settings.minimumRingSize > settings.maximumRingSize) {
      translation.error(path.field("minimum_ring_size"), "must not exceed maximum_ring_size ("
          + settings.maximumRingSize + ")");
    }
  }

  private void tableSize(long size, Settings settings, FieldPath path) {
    if (size < 2 || size > MAX_MAGLEV_TABLE_SIZE || !BigInteger.valueOf(size).isProbablePrime(30)) {
      translation.error(path, "must be a prime number no larger than " + MAX_MAGLEV_TABLE_SIZE + ", got " + size);
      return;
    }
    settings.maglevTableSize = (int) size;
  }

  private void choiceCount(int count, Settings settings, FieldPath path) {
    if (count < 2) {
      translation.error(path, "must be at least 2");
      return;
    }
    settings.choiceCount = count;
  }

  /**
   * Endpoint priorities must run from 0 without a gap, as Envoy requires; a priority may hold
   * several {@code endpoints[]} entries.
   */
  void checkPriorities(List<EndpointConfig> endpoints, FieldPath path) {
    TreeSet<Integer> priorities = new TreeSet<>();
    endpoints.forEach(e -> priorities.add(e.priority()));
    if (!priorities.isEmpty() && priorities.last() != priorities.size() - 1) {
      translation.error(path, "priorities must run from 0 without gaps, found " + priorities);
    }
  }

  /** Envoy's defaults, overwritten by what the cluster sets. */
  private static final class Settings {
    int choiceCount = LoadBalancerSettings.DEFAULTS.choiceCount();
    long minimumRingSize = LoadBalancerSettings.DEFAULTS.minimumRingSize();
    long maximumRingSize = LoadBalancerSettings.DEFAULTS.maximumRingSize();
    int maglevTableSize = LoadBalancerSettings.DEFAULTS.maglevTableSize();
    Duration ewmaDecay = LoadBalancerSettings.DEFAULTS.ewmaDecay();
    Duration ewmaDefaultRtt = LoadBalancerSettings.DEFAULTS.ewmaDefaultRtt();
    double panicThreshold = LoadBalancerSettings.DEFAULTS.healthyPanicThreshold();

    LoadBalancerSettings build() {
      return new LoadBalancerSettings(choiceCount, minimumRingSize, maximumRingSize, maglevTableSize, ewmaDecay,
          ewmaDefaultRtt, panicThreshold);
    }
  }
}
