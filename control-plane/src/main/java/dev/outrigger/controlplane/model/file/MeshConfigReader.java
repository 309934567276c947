package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.MeshConfig;
import dev.outrigger.controlplane.model.Metadata;
import java.time.Duration;

/** {@code spec} of the MeshConfig; every field has a default ({@link MeshConfig#defaults()}). */
final class MeshConfigReader {
  private static final Duration MIN_TTL = Duration.ofMinutes(5);

  private MeshConfigReader() {}

  static MeshConfig read(Metadata metadata, Fields spec) {
    String trustDomain = spec.string("trustDomain").orElse(MeshConfig.DEFAULT_TRUST_DOMAIN);
    if (!trustDomain.matches("[a-z0-9._-]+")) {
      spec.problem("trustDomain", "must be a SPIFFE trust domain (lower-case letters, digits, '.', '-', '_')");
    }
    Duration ttl = Syntax.duration(spec, "certificateTTL").orElse(MeshConfig.DEFAULT_CERTIFICATE_TTL);
    if (ttl.compareTo(MIN_TTL) < 0) {
      spec.problem("certificateTTL", "must be at least 5m");
    }
    MeshConfig.InboundPolicy inbound = spec.enumeration("defaultInboundPolicy",
        MeshConfig.InboundPolicy.class, Enum::name).orElse(MeshConfig.InboundPolicy.ALLOW);
    String root = Syntax.label(spec, "rootNamespace",
        spec.string("rootNamespace").orElse(MeshConfig.DEFAULT_ROOT_NAMESPACE));
    return new MeshConfig(metadata, trustDomain, ttl, inbound, root);
  }
}
