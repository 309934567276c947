package dev.outrigger.proxy.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.outrigger.proxy.bootstrap.XdsTranslator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The names that accepted LDS and CDS resources lead the client to subscribe in RDS and EDS. */
final class ResourceNames {
  private ResourceNames() {}

  /** Every {@code rds.route_config_name} of the listeners' connection managers. */
  static Set<String> routes(Collection<Listener> listeners) {
    Set<String> names = new TreeSet<>();
    for (Listener listener : listeners) {
      List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
      if (listener.hasDefaultFilterChain()) {
        chains.add(listener.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            try {
              HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
              if (hcm.hasRds() && !hcm.getRds().getRouteConfigName().isEmpty()) {
                names.add(hcm.getRds().getRouteConfigName());
              }
            } catch (InvalidProtocolBufferException e) {
              // The translation reports it and the listener is rejected with its LDS response.
            }
          }
        }
      }
    }
    return names;
  }

  /** The assignment names of the EDS clusters. */
  static Set<String> endpoints(Collection<Cluster> clusters) {
    Set<String> names = new TreeSet<>();
    for (Cluster cluster : clusters) {
      if (cluster.getType() == Cluster.DiscoveryType.EDS) {
        names.add(XdsTranslator.edsServiceName(cluster));
      }
    }
    return names;
  }
}
