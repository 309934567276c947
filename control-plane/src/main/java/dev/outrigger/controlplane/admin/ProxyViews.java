package dev.outrigger.controlplane.admin;

import com.google.protobuf.Timestamp;
import dev.outrigger.api.admin.v1.Nack;
import dev.outrigger.api.admin.v1.Proxy;
import dev.outrigger.api.admin.v1.ProxyDescription;
import dev.outrigger.api.admin.v1.PushedResource;
import dev.outrigger.api.admin.v1.TypeState;
import dev.outrigger.api.admin.v1.Workload;
import dev.outrigger.controlplane.xds.ProxyStatus;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.controlplane.xds.XdsServer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The xDS server's view of each connected proxy, as the admin API shows it. */
final class ProxyViews {
  private final XdsServer xds;
  private final String trustDomain;

  ProxyViews(XdsServer xds, String trustDomain) {
    this.xds = xds;
    this.trustDomain = trustDomain;
  }

  List<Proxy> all() {
    return xds.proxies().stream().map(this::proxy).toList();
  }

  /** The node's first open stream, with what the cache holds for it. */
  Optional<ProxyDescription> describe(String nodeId) {
    return xds.proxies().stream().filter(status -> status.nodeId().equals(nodeId)).findFirst()
        .map(status -> {
          ProxyDescription.Builder description = ProxyDescription.newBuilder().setProxy(proxy(status));
          Resources resources = xds.cache().get(nodeId).orElse(Resources.EMPTY);
          for (ResourceType type : ResourceType.values()) {
            resources.of(type).values().forEach(resource -> description.addResources(PushedResource
                .newBuilder().setType(type.name()).setName(resource.name()).setVersion(resource.version())));
          }
          return description.build();
        });
  }

  private Proxy proxy(ProxyStatus status) {
    Proxy.Builder proxy = Proxy.newBuilder().setNodeId(status.nodeId())
        .setCluster(status.node().getCluster()).setProtocol(status.protocol().name())
        .setConnectedSince(timestamp(status.connectedSince())).setInSync(status.inSync())
        .setMetadata(status.node().getMetadata());
    workload(status).ifPresent(workload -> {
      proxy.setWorkload(workload);
      if (!workload.getServiceAccount().isEmpty()) {
        proxy.setIdentity("spiffe://" + trustDomain + "/ns/" + workload.getNamespace() + "/sa/"
            + workload.getServiceAccount());
      }
    });
    status.types().forEach((type, state) -> proxy.addTypes(typeState(type, state)));
    return proxy.build();
  }

  /** The workload the node declares; none when it declares none, or declares it wrongly. */
  private static Optional<Workload> workload(ProxyStatus status) {
    dev.outrigger.controlplane.translate.Workload declared;
    try {
      declared = dev.outrigger.controlplane.translate.Workload.of(status.node());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return declared.workload().map(identity -> Workload.newBuilder()
        .setService(identity.service().name()).setNamespace(identity.service().namespace())
        .setServiceAccount(identity.serviceAccount().orElse("")).setAddress(identity.address())
        .putAllInboundPorts(identity.appPorts()).build());
  }

  private static TypeState typeState(ResourceType type, ProxyStatus.TypeStatus status) {
    TypeState.Builder state = TypeState.newBuilder().setType(type.name()).setTypeUrl(type.typeUrl());
    if (status.sentVersion() != null) {
      state.setSentVersion(status.sentVersion()).setSentNonce(status.sentNonce())
          .setSentAt(timestamp(status.sentAt()));
    }
    if (status.ackedVersion() != null) {
      state.setAckedVersion(status.ackedVersion());
    }
    ProxyStatus.Nack nack = status.lastNack();
    if (nack != null) {
      state.setLastNack(Nack.newBuilder().setNonce(nack.nonce())
          .setVersion(nack.version() == null ? "" : nack.version()).setMessage(nack.message())
          .setAt(timestamp(nack.at())));
    }
    return state.build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
