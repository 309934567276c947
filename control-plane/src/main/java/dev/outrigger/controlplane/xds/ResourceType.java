package dev.outrigger.controlplane.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The xDS resource types the server serves. Declaration order is the make-before-break push
 * order: a secret before the clusters and listeners that name it, a cluster before its endpoints,
 * both before the listeners and routes that send traffic to them. {@link #REMOVAL_ORDER} is the
 * opposite dependency order: what routes traffic goes before what receives it.
 */
public enum ResourceType {
  SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", Secret.class,
      message -> ((Secret) message).getName()),
  CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", Cluster.class,
      message -> ((Cluster) message).getName()),
  ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", ClusterLoadAssignment.class,
      message -> ((ClusterLoadAssignment) message).getClusterName()),
  LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", Listener.class,
      message -> ((Listener) message).getName()),
  ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", RouteConfiguration.class,
      message -> ((RouteConfiguration) message).getName());

  /** The order in which removals are sent, after every update of the push was accepted. */
  static final List<ResourceType> REMOVAL_ORDER = List.of(LISTENER, ROUTE, CLUSTER, ENDPOINT, SECRET);

  private final String typeUrl;
  private final Class<? extends Message> messageClass;
  private final Function<Message, String> name;

  ResourceType(String typeUrl, Class<? extends Message> messageClass, Function<Message, String> name) {
    this.typeUrl = typeUrl;
    this.messageClass = messageClass;
    this.name = name;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** The xDS service's short name in lower case ({@code cds}, {@code lds}...), a metric label. */
  public String shortName() {
    switch (this) {
      case SECRET:
        return "sds";
      case CLUSTER:
        return "cds";
      case ENDPOINT:
        return "eds";
      case LISTENER:
        return "lds";
      default:
        return "rds";
    }
  }

  /**
   * Listener and Cluster are the state-of-the-world types whose responses are complete: a name
   * left out of a response is deleted by the client. For the others, leaving a name out deletes
   * nothing (the client drops it by unsubscribing).
   */
  boolean completeState() {
    return this == LISTENER || this == CLUSTER;
  }

  Class<? extends Message> messageClass() {
    return messageClass;
  }

  String nameOf(Message message) {
    return name.apply(message);
  }

  static Optional<ResourceType> ofTypeUrl(String typeUrl) {
    for (ResourceType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  static Optional<ResourceType> ofMessage(Message message) {
    for (ResourceType type : values()) {
      if (type.messageClass.isInstance(message)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return shortName().toUpperCase(Locale.ROOT);
  }
}
