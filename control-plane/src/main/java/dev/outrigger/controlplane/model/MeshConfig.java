package dev.outrigger.controlplane.model;

import java.time.Duration;
import java.util.Map;

/**
 * Mesh-wide settings ({@code outrigger.dev/v1alpha1}, cluster-scoped, at most one). Without one the
 * mesh runs on {@link #defaults()}.
 *
 * @param trustDomain the trust domain of every SPIFFE ID, {@code spiffe://<trustDomain>/ns/..}
 * @param certificateTtl lifetime of workload certificates
 * @param defaultInboundPolicy what a service allows when no ALLOW policy applies to it
 * @param rootNamespace the namespace whose AuthorizationPolicies are the operator's and override
 *     application policies
 */
public record MeshConfig(Metadata metadata, String trustDomain, Duration certificateTtl,
    InboundPolicy defaultInboundPolicy, String rootNamespace) implements Resource {
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
  public static final Duration DEFAULT_CERTIFICATE_TTL = Duration.ofHours(24);
  public static final String DEFAULT_ROOT_NAMESPACE = "outrigger-system";

  /** The default inbound policy: what happens to a request no ALLOW policy speaks about. */
  public enum InboundPolicy { ALLOW, DENY }

  public static MeshConfig defaults() {
    return new MeshConfig(new Metadata("default", "", Map.of()), DEFAULT_TRUST_DOMAIN,
        DEFAULT_CERTIFICATE_TTL, InboundPolicy.ALLOW, DEFAULT_ROOT_NAMESPACE);
  }

  @Override
  public Kind kind() {
    return Kind.MESH_CONFIG;
  }
}
