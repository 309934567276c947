package dev.outrigger.proxy.xds;

import com.google.protobuf.Message;
import dev.outrigger.proxy.bootstrap.XdsResources;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The resources of every type as one immutable value: the accepted state, or a candidate. */
final class ResourceState {
  static final ResourceState EMPTY = new ResourceState(new EnumMap<>(XdsType.class), new EnumMap<>(XdsType.class));

  private final Map<XdsType, Map<String, Message>> resources;
  private final Map<XdsType, Map<String, String>> versions;

  private ResourceState(Map<XdsType, Map<String, Message>> resources, Map<XdsType, Map<String, String>> versions) {
    this.resources = resources;
    this.versions = versions;
  }

  Map<String, Message> of(XdsType type) {
    return resources.getOrDefault(type, Map.of());
  }

  /** Per-resource versions (delta), for {@code initial_resource_versions}. */
  Map<String, String> versions(XdsType type) {
    return versions.getOrDefault(type, Map.of());
  }

  /**
   * This state with {@code update} applied: a complete set replaces the type, a delta changes and
   * removes. Only {@code subscribed} names are kept (null: the wildcard), so a server that sends
   * more than was asked cannot add to the config.
   */
  ResourceState with(Update update, Set<String> subscribed) {
    Map<String, Message> typeResources = new HashMap<>(update.complete() ? Map.of() : of(update.type()));
    Map<String, String> typeVersions = new HashMap<>(update.complete() ? Map.of() : versions(update.type()));
    typeResources.keySet().removeAll(update.removed());
    typeVersions.keySet().removeAll(update.removed());
    typeResources.putAll(update.resources());
    typeVersions.putAll(update.versions());
    if (subscribed != null) {
      typeResources.keySet().retainAll(subscribed);
      typeVersions.keySet().retainAll(subscribed);
    }
    return replace(update.type(), typeResources, typeVersions);
  }

  /** Forgets what is no longer subscribed, e.g. the routes of a removed listener. */
  ResourceState retain(XdsType type, Set<String> subscribed) {
    Map<String, Message> typeResources = new HashMap<>(of(type));
    Map<String, String> typeVersions = new HashMap<>(versions(type));
    typeResources.keySet().retainAll(subscribed);
    typeVersions.keySet().retainAll(subscribed);
    return replace(type, typeResources, typeVersions);
  }

  private ResourceState replace(XdsType type, Map<String, Message> typeResources, Map<String, String> typeVersions) {
    Map<XdsType, Map<String, Message>> allResources = new EnumMap<>(XdsType.class);
    allResources.putAll(resources);
    allResources.put(type, Map.copyOf(typeResources));
    Map<XdsType, Map<String, String>> allVersions = new EnumMap<>(XdsType.class);
    allVersions.putAll(versions);
    allVersions.put(type, Map.copyOf(typeVersions));
    return new ResourceState(allResources, allVersions);
  }

  XdsResources resources() {
    return new XdsResources(typed(XdsType.LISTENER), typed(XdsType.ROUTE), typed(XdsType.CLUSTER),
        typed(XdsType.ENDPOINT));
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> Map<String, T> typed(XdsType type) {
    return of(type).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> (T) entry.getValue()));
  }
}
