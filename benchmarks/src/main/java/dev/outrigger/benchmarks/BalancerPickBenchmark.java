package dev.outrigger.benchmarks;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link UpstreamCluster#pick} of a STATIC cluster as the proxy builds it (the cluster manager's
 * volatile endpoint set, then the policy's balancer), per policy, over 10 and 1,000 equally weighted
 * endpoints at one priority. Each pick gets a new hash, as requests with different keys would.
 * Nothing connects; peak-EWMA endpoints have no latency samples, so their estimates are the default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerPickBenchmark {
  @Param({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV", "PEAK_EWMA"})
  public LbPolicy policy;

  @Param({"10", "1000"})
  public int endpoints;

  private EventLoopGroup group;
  private UpstreamClusterManager clusters;
  private UpstreamCluster cluster;
  private long hash;

  @Setup
  public void setUp() {
    List<EndpointConfig> configured = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      configured.add(new EndpointConfig("10.0." + i / 250 + "." + (i % 250 + 1), 8080, 1));
    }
    ClusterConfig config = new ClusterConfig("bench", DiscoveryType.STATIC, Duration.ofSeconds(1), policy,
        configured, UpstreamProtocol.HTTP1, Optional.empty(), ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    Transport transport = Transport.best();
    group = transport.newGroup(1);
    clusters = UpstreamClusterManager.start(Map.of("bench", config), transport, group,
        name -> UpstreamConnectionEvents.NONE);
    clusters.ready().join();
    cluster = clusters.cluster("bench");
  }

  @Benchmark
  public Endpoint pick() {
    hash += 0x9E3779B97F4A7C15L;
    return cluster.pick(hash);
  }

  @TearDown
  public void tearDown() {
    clusters.close();
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }
}
