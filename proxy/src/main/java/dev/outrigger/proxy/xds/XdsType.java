package dev.outrigger.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/** The resource types the client subscribes, in the order their state is listed. */
public enum XdsType {
  LISTENER("lds", Listener.getDefaultInstance()),
  ROUTE("rds", RouteConfiguration.getDefaultInstance()),
  CLUSTER("cds", Cluster.getDefaultInstance()),
  ENDPOINT("eds", ClusterLoadAssignment.getDefaultInstance());

  private final String label;
  private final Message prototype;
  private final String typeUrl;

  XdsType(String label, Message prototype) {
    this.label = label;
    this.prototype = prototype;
    this.typeUrl = "type.googleapis.com/" + prototype.getDescriptorForType().getFullName();
  }

  /** {@code lds}, {@code rds}, {@code cds}, {@code eds}: the metrics' {@code type} label. */
  public String label() {
    return label;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** Listed first to last, LDS and CDS are the wildcard types, RDS and EDS follow from them. */
  boolean isWildcard() {
    return this == LISTENER || this == CLUSTER;
  }

  static XdsType ofTypeUrl(String typeUrl) {
    for (XdsType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return type;
      }
    }
    return null;
  }

  Message decode(Any any) throws InvalidProtocolBufferException {
    if (!any.getTypeUrl().equals(typeUrl)) {
      throw new InvalidProtocolBufferException("a " + any.getTypeUrl() + " in a " + label + " response");
    }
    return prototype.getParserForType().parseFrom(any.getValue());
  }

  /** A resource's name: {@code cluster_name} for an assignment, {@code name} for the rest. */
  static String nameOf(Message resource) {
    if (resource instanceof ClusterLoadAssignment assignment) {
      return assignment.getClusterName();
    }
    return (String) resource.getField(resource.getDescriptorForType().findFieldByName("name"));
  }
}
