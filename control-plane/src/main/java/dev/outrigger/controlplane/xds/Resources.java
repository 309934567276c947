package dev.outrigger.controlplane.xds;

import com.google.protobuf.Message;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** An immutable set of named resources per type: everything one proxy is to receive. */
public final class Resources {
  public static final Resources EMPTY = new Builder().build();

  private final Map<ResourceType, SortedMap<String, Resource>> byType;

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

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof Resources && ((Resources) other).byType.equals(byType);
  }

  @Override
  public int hashCode() {
    return byType.hashCode();
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
