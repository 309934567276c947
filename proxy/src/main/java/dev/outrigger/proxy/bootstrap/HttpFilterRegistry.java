package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.http.filter.HttpFilterFactory;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP filters this proxy has, by the config type their {@code typed_config} names: each entry
 * translates a filter's config into the settings that make it, and a {@code
 * typed_per_filter_config} override into the settings the filter takes per route. The {@link
 * Subset} decides which types and fields get this far; see the package-info of {@code
 * dev.outrigger.proxy.http.filter} for what a new filter needs.
 */
final class HttpFilterRegistry {
  static final HttpFilterRegistry BUILT_IN =
      new HttpFilterRegistry()
          .add(HTTPFault.class, FaultTranslator::translate, HTTPFault.class, FaultTranslator::translate)
          .add(LocalRateLimit.class, LocalRateLimitTranslator::filter,
              LocalRateLimit.class, LocalRateLimitTranslator::perRoute)
          .add(RBAC.class, RbacTranslator::httpFilter, RBACPerRoute.class, RbacTranslator::httpPerRoute);

  /** Turns one config message into settings, reporting problems under {@code path}. */
  @FunctionalInterface
  interface Translator<M extends Message, S extends HttpFilterSettings> {
    Optional<S> translate(M config, FieldPath path, Translation translation);
  }

  private record Entry<M extends Message, R extends Message>(
      Class<M> type, Translator<M, ? extends HttpFilterFactory> filter,
      Class<R> perRouteType, Translator<R, ? extends HttpFilterSettings> perRoute) {}

  private final Map<String, Entry<?, ?>> byTypeName = new HashMap<>();

  <M extends Message, F extends HttpFilterFactory, R extends Message, S extends HttpFilterSettings>
      HttpFilterRegistry add(Class<M> type, Translator<M, F> filter, Class<R> perRouteType, Translator<R, S> perRoute) {
    byTypeName.put(typeName(type), new Entry<>(type, filter, perRouteType, perRoute));
    return this;
  }

  /** The filter a {@code typed_config} configures; empty (with a problem reported) when it cannot be made. */
  Optional<? extends HttpFilterFactory> filter(Any typedConfig, FieldPath path, Translation translation) {
    Entry<?, ?> entry = byTypeName.get(typeName(typedConfig.getTypeUrl()));
    if (entry == null) {
      // The subset check reports filters it does not know; a type it knows but no entry is a bug.
      translation.error(path, "no HTTP filter takes " + typedConfig.getTypeUrl());
      return Optional.empty();
    }
    return translateFilter(entry, typedConfig, path, translation);
  }

  /**
   * A {@code typed_per_filter_config} override for the filter whose {@code typed_config} has type
   * {@code filterTypeUrl}.
   */
  Optional<HttpFilterSettings> perRoute(
      String filterTypeUrl, String filterName, Any override, FieldPath path, Translation translation) {
    Entry<?, ?> entry = byTypeName.get(typeName(filterTypeUrl));
    if (entry == null) {
      translation.error(path, "HTTP filter " + filterName + " takes no per-route config");
      return Optional.empty();
    }
    if (!typeName(override.getTypeUrl()).equals(typeName(entry.perRouteType()))) {
      translation.error(path, "HTTP filter " + filterName + " takes " + typeName(entry.perRouteType())
          + " here, not " + typeName(override.getTypeUrl()));
      return Optional.empty();
    }
    return translatePerRoute(entry, override, path, translation);
  }

  private static <M extends Message> Optional<? extends HttpFilterFactory> translateFilter(
      Entry<M, ?> entry, Any typedConfig, FieldPath path, Translation translation) {
    return translation.unpack(typedConfig, entry.type(), path)
        .flatMap(config -> entry.filter().translate(config, path, translation));
  }

  private static <R extends Message> Optional<HttpFilterSettings> translatePerRoute(
      Entry<?, R> entry, Any override, FieldPath path, Translation translation) {
    return translation.unpack(override, entry.perRouteType(), path)
        .flatMap(config -> entry.perRoute().translate(config, path, translation))
        .map(HttpFilterSettings.class::cast);
  }

  private static String typeName(Class<? extends Message> type) {
    return Internal.getDefaultInstance(type).getDescriptorForType().getFullName();
  }

  private static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }
}
