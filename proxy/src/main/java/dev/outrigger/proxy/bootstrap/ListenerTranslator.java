package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.authz.NetworkRbacConfig;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig.CodecType;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ListenerConfig.Inspector;
import dev.outrigger.proxy.config.NetworkFilterConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/** Listeners: addresses, inspectors, filter chains with their match, TLS and network filter. */
final class ListenerTranslator {
  private final Translation translation;

  ListenerTranslator(Translation translation) {
    this.translation = translation;
  }

  List<ListenerConfig> translate(List<Listener> listeners, FieldPath path) {
    return translate(listeners, path::index);
  }

  /** @param paths where the i-th listener's problems are reported (xDS: by resource name) */
  List<ListenerConfig> translate(List<Listener> listeners, IntFunction<FieldPath> paths) {
    List<ListenerConfig> result = new ArrayList<>();
    Map<String, FieldPath> names = new HashMap<>();
    for (int i = 0; i < listeners.size(); i++) {
      FieldPath listenerPath = paths.apply(i);
      Optional<ListenerConfig> listener = listener(listeners.get(i), i, listenerPath);
      if (listener.isEmpty()) {
        continue;
      }
      String name = listener.get().name();
      FieldPath earlier = names.putIfAbsent(name, listenerPath);
      if (earlier != null) {
        translation.error(listenerPath.field("name"), "duplicate listener name "
            + Translation.quote(name) + " (also " + earlier + ")");
      }
      InetSocketAddress address = listener.get().address();
      result.stream()
          .filter(other -> SocketAddresses.clash(address, other.address()))
          .findFirst()
          .ifPresent(other -> translation.error(listenerPath.field("address"), "address "
              + SocketAddresses.text(address) + " clashes with listener " + Translation.quote(other.name())
              + " on " + SocketAddresses.text(other.address())));
      result.add(listener.get());
    }
    return result;
  }

  private Optional<ListenerConfig> listener(Listener listener, int index, FieldPath path) {
    String name = listener.getName().isEmpty() ? "listener_" + index : listener.getName();
    Optional<InetSocketAddress> address = Optional.empty();
    if (listener.hasAddress()) {
      address = SocketAddresses.bindAddress(listener.getAddress(), path.field("address"), translation);
    } else {
      translation.error(path.field("address"), "required");
    }
    List<Inspector> inspectors = inspectors(listener.getListenerFiltersList(), path.field("listener_filters"));
    Duration inspectionTimeout = listener.hasListenerFiltersTimeout()
        ? translation.duration(listener.getListenerFiltersTimeout(), path.field("listener_filters_timeout"))
        : ListenerConfig.DEFAULT_INSPECTION_TIMEOUT;
    List<FilterChainConfig> chains = filterChains(listener.getFilterChainsList(), path.field("filter_chains"));
    Optional<FilterChainConfig> defaultChain = listener.hasDefaultFilterChain()
        ? filterChain(listener.getDefaultFilterChain(), "default_filter_chain", path.field("default_filter_chain"))
        : Optional.empty();
    if (listener.getFilterChainsCount() == 0 && !listener.hasDefaultFilterChain()) {
      translation.error(path.field("filter_chains"), "required: at least one filter chain or a default_filter_chain");
    }
    int bufferLimit = bufferLimit(listener, path.field("per_connection_buffer_limit_bytes"));
    return address.map(bound -> new ListenerConfig(
        name, bound, inspectors, inspectionTimeout, chains, defaultChain, bufferLimit));
  }

  private List<FilterChainConfig> filterChains(List<FilterChain> chains, FieldPath path) {
    List<FilterChainConfig> result = new ArrayList<>();
    Map<FilterChainMatch, FieldPath> matches = new HashMap<>();
    for (int i = 0; i < chains.size(); i++) {
      FieldPath chainPath = path.index(i);
      Optional<FilterChainConfig> chain = filterChain(chains.get(i), "filter_chain_" + i, chainPath);
      if (chain.isEmpty()) {
        continue;
      }
      result.add(chain.get());
      FieldPath earlier = matches.putIfAbsent(chain.get().match(), chainPath);
      if (earlier != null) {
        translation.error(chainPath.field("filter_chain_match"),
            "same match as " + earlier + ", so this chain could never be chosen");
      }
    }
    return result;
  }

  private int bufferLimit(Listener listener, FieldPath path) {
    if (!listener.hasPerConnectionBufferLimitBytes()) {
      return ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES;
    }
    int limit = listener.getPerConnectionBufferLimitBytes().getValue();
    if (limit <= 0) {
      // uint32 above 2^31-1 reads as negative here; neither fits an int buffer bound.
      translation.error(path, "must be between 1 and " + Integer.MAX_VALUE);
    }
    return limit;
  }

  private List<Inspector> inspectors(List<ListenerFilter> filters, FieldPath path) {
    List<Inspector> inspectors = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      ListenerFilter filter = filters.get(i);
      FieldPath filterPath = path.index(i).field("typed_config");
      if (!filter.hasTypedConfig()) {
        translation.error(filterPath, "required");
        continue;
      }
      Inspector inspector = filter.getTypedConfig().is(HttpInspector.class) ? Inspector.HTTP : Inspector.TLS;
      if (inspectors.contains(inspector)) {
        translation.error(path.index(i), "listener filter " + filter.getName() + " is listed twice");
      } else {
        inspectors.add(inspector);
      }
    }
    return inspectors;
  }

  private Optional<FilterChainConfig> filterChain(FilterChain chain, String defaultName, FieldPath path) {
    String name = chain.getName().isEmpty() ? defaultName : chain.getName();
    FilterChainMatch match = match(chain.getFilterChainMatch(), path.field("filter_chain_match"));
    Optional<DownstreamTlsConfig> tls = downstreamTls(chain, path.field("transport_socket").field("typed_config"));
    FieldPath filtersPath = path.field("filters");
    if (chain.getFiltersCount() == 0) {
      translation.error(filtersPath, "required: a terminal filter (http_connection_manager or tcp_proxy)");
      return Optional.empty();
    }
    int last = chain.getFiltersCount() - 1;
    List<NetworkRbacConfig> rbac =
        new RbacTranslator(translation).networkFilters(chain.getFiltersList().subList(0, last), filtersPath);
    Optional<NetworkFilterConfig> filter = networkFilter(chain.getFilters(last), filtersPath.index(last));
    filter.ifPresent(f -> checkAlpn(f, tls, filtersPath.index(last).field("typed_config").field("codec_type")));
    return filter.map(f -> new FilterChainConfig(name, match, tls, rbac, f));
  }

  private Optional<DownstreamTlsConfig> downstreamTls(FilterChain chain, FieldPath path) {
    if (!chain.hasTransportSocket()) {
      return Optional.empty();
    }
    return translation.unpack(chain.getTransportSocket().getTypedConfig(), DownstreamTlsContext.class, path)
        .flatMap(context -> new TlsTranslator(translation).downstream(context, path));
  }

  private FilterChainMatch match(
      io.envoyproxy.envoy.config.listener.v3.FilterChainMatch match, FieldPath path) {
    OptionalInt port = OptionalInt.empty();
    if (match.hasDestinationPort()
        && SocketAddresses.port(match.getDestinationPort().getValue(), 1, path.field("destination_port"), translation)) {
      port = OptionalInt.of(match.getDestinationPort().getValue());
    }
    List<String> serverNames = serverNames(match.getServerNamesList(), path.field("server_names"));
    Optional<String> transport = Optional.empty();
    if (!match.getTransportProtocol().isEmpty()) {
      if (match.getTransportProtocol().equals("tls") || match.getTransportProtocol().equals("raw_buffer")) {
        transport = Optional.of(match.getTransportProtocol());
      } else {
        translation.error(path.field("transport_protocol"), "must be tls or raw_buffer, got "
            + Translation.quote(match.getTransportProtocol()));
      }
    }
    return new FilterChainMatch(port, serverNames, transport, match.getApplicationProtocolsList());
  }

  private List<String> serverNames(List<String> names, FieldPath path) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).toLowerCase(Locale.ROOT);
      int star = name.lastIndexOf('*');
      if (name.isEmpty() || (star >= 0 && (star != 0 || !name.startsWith("*.")))) {
        translation.error(path.index(i), "invalid server name " + Translation.quote(name)
            + " (expected a name or *.suffix)");
      } else {
        result.add(name);
      }
    }
    return result;
  }

  private Optional<NetworkFilterConfig> networkFilter(Filter filter, FieldPath path) {
    FieldPath configPath = path.field("typed_config");
    if (filter.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
      translation.error(path, RbacTranslator.NETWORK_RBAC + " must come before the terminal filter "
          + "(http_connection_manager or tcp_proxy)");
      return Optional.empty();
    }
    if (filter.getTypedConfig().is(TcpProxy.class)) {
      return translation.unpack(filter.getTypedConfig(), TcpProxy.class, configPath)
          .flatMap(tcp -> new TcpProxyTranslator(translation).translate(tcp, configPath));
    }
    return translation.unpack(filter.getTypedConfig(), HttpConnectionManager.class, configPath)
        .flatMap(hcm -> new HttpConnectionManagerTranslator(translation).translate(hcm, configPath));
  }

  /** A fixed codec must be one the chain's TLS ALPN list can negotiate. */
  private void checkAlpn(NetworkFilterConfig filter, Optional<DownstreamTlsConfig> tls, FieldPath path) {
    if (!(filter instanceof HttpConnectionManagerConfig hcm) || tls.isEmpty()
        || tls.get().alpnProtocols().isEmpty()) {
      return;
    }
    List<String> alpn = tls.get().alpnProtocols();
    if (hcm.codecType() == CodecType.HTTP2 && !alpn.contains("h2")) {
      translation.error(path, "HTTP2, but the chain's TLS alpn_protocols " + alpn + " do not offer h2");
    } else if (hcm.codecType() == CodecType.HTTP1 && !alpn.contains("http/1.1")) {
      translation.error(path, "HTTP1, but the chain's TLS alpn_protocols " + alpn + " do not offer http/1.1");
    }
  }
}
