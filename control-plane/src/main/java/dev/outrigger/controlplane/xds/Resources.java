package dev.outrigger.controlplane.xds;

import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of named resources per type: everything one proxy is to receive. Proxies of
 * one shape share one instance, so its versions (per type, and of the whole) are computed once,
 * on first use, and two sets are compared by those.
 */
public final class Resources {
  public static final Resources EMPTY = new Builder().build();

  private final Map<ResourceType, SortedMap<String, Resource>> byType;
  // Racy caches of immutable strings: two threads may both compute one, with the same result.
  private final String[] versions = new String[ResourceType.values().length];
  private String version;

  private Resources(Map<ResourceType, SortedMap<String, Resource>> byType) {
    this.byType = byType;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The resources in {@code messages}, each of a {@link ResourceType}; names unique per type. */
  public static Resources of(Iterable<? extends Message> messages) {
    Builder builder = builder();
    messages.forEach(builder::add);
    return builder.build();
  }

  /** The resources of {@code type} by name, sorted. */
  public SortedMap<String, Resource> of(ResourceType type) {
    return byType.get(type);
  }

  /** A hash of the names and versions of {@code type}'s resources: the state of the world's version_info. */
  String version(ResourceType type) {
    String typeVersion = versions[type.ordinal()];
    if (typeVersion == null) {
      typeVersion = versionOf(byType.get(type));
      versions[type.ordinal()] = typeVersion;
    }
    return typeVersion;
  }

  /** A hash of every type's {@link #version(ResourceType)}. */
  private String version() {
    String all = version;
    if (all == null) {
      StringBuilder text = new StringBuilder();
      for (ResourceType type : ResourceType.values()) {
        text.append(version(type)).append('\n');
      }
      all = Resource.Versions.hash(text.toString().getBytes(StandardCharsets.UTF_8));
      version = all;
    }
    return all;
  }

  /** A hash of the names and versions of {@code content}. */
  static String versionOf(SortedMap<String, Resource> content) {
    StringBuilder text = new StringBuilder();
    content.forEach((name, resource) -> text.append(name).append('\0').append(resource.version()).append('\n'));
    return Resource.Versions.hash(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Equal names and versions (content hashes) of every resource: equal content. */
  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof Resources && ((Resources) other).version().equals(version());
  }

  @Override
  public int hashCode() {
    return version().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Resources{");
    byType.forEach((type, resources) -> text.append(type).append('=').append(resources.keySet()).append(' '));
    return text.append('}').toString();
  }

  public static final class Builder {
    private final Map<ResourceType, SortedMap<String, Resource>> byType = new EnumMap<>(ResourceType.class);

    private Builder() {
      for (ResourceType type : ResourceType.values()) {
        byType.put(type, new TreeMap<>());
      }
    }

    public Builder add(Message message) {
      return add(Resource.of(message));
    }

    public Builder add(Resource resource) {
      if (byType.get(resource.type()).putIfAbsent(resource.name(), resource) != null) {
        throw new IllegalArgumentException("two " + resource.type() + " resources named " + resource.name());
      }
      return this;
    }

    /** Every resource of {@code resources}. */
    public Builder addAll(Resources resources) {
      resources.byType.values().forEach(named -> named.values().forEach(this::add));
      return this;
    }

    public Resources build() {
      Map<ResourceType, SortedMap<String, Resource>> frozen = new EnumMap<>(ResourceType.class);
      byType.forEach((type, resources) ->
          frozen.put(type, Collections.unmodifiableSortedMap(new TreeMap<>(resources))));
      return new Resources(Collections.unmodifiableMap(frozen));
    }
  }
}
