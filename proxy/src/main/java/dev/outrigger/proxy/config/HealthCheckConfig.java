package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * An active health check of every endpoint of a cluster ({@code Cluster.health_checks[0]}).
 *
 * @param timeout how long one check may take; longer counts as a (network) failure
 * @param interval time between the end of one check and the start of the next
 * @param intervalJitter at most this much is added to each interval (uniformly drawn)
 * @param intervalJitterPercent at most this percentage of {@code interval} is added as well
 * @param unhealthyThreshold consecutive network failures or timeouts that mark a healthy endpoint
 *     unhealthy (a failed answer marks it at once)
 * @param healthyThreshold consecutive passes that mark an unhealthy endpoint healthy again
 */
public record HealthCheckConfig(
    Duration timeout,
    Duration interval,
    Duration intervalJitter,
    int intervalJitterPercent,
    int unhealthyThreshold,
    int healthyThreshold,
    Probe probe) {

  /** What one check does. */
  public sealed interface Probe permits HttpProbe, GrpcProbe, TcpProbe {}

  /**
   * A GET of {@code path}; healthy when the status is in one of {@code expectedStatuses}.
   *
   * @param authority the Host / :authority sent (Envoy's default is the cluster name)
   */
  public record HttpProbe(String path, String authority, List<StatusRange> expectedStatuses, boolean http2)
      implements Probe {
    public HttpProbe {
      expectedStatuses = List.copyOf(expectedStatuses);
    }

    public boolean expects(int status) {
      for (StatusRange range : expectedStatuses) {
        if (range.contains(status)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code grpc.health.v1.Health/Check} for {@code serviceName} ("" = the whole server); SERVING is healthy. */
  public record GrpcProbe(String serviceName, String authority) implements Probe {}

  /** Connect only: healthy when TCP (and TLS, when the cluster has it) connects. */
  public record TcpProbe() implements Probe {}

  /** HTTP statuses {@code [start, end)}, as Envoy's {@code Int64Range}. */
  public record StatusRange(int start, int end) {
    public boolean contains(int status) {
      return status >= start && status < end;
    }
  }
}
