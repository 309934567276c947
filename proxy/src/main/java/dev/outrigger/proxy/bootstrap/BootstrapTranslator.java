package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A bootstrap already inside the subset → {@link ProxyConfig}, checking what it means. */
final class BootstrapTranslator {
  private final Translation translation;

  BootstrapTranslator(Translation translation) {
    this.translation = translation;
  }

  ProxyConfig translate(Bootstrap bootstrap) {
    FieldPath resources = FieldPath.ROOT.field("static_resources");
    translation.staticSecrets(StaticSecrets.of(
        bootstrap.getStaticResources().getSecretsList(), resources.field("secrets"), translation));
    Map<String, ClusterConfig> clusters = new ClusterTranslator(translation)
        .translate(bootstrap.getStaticResources().getClustersList(), resources.field("clusters"));
    List<ListenerConfig> listeners = new ListenerTranslator(translation)
        .translate(bootstrap.getStaticResources().getListenersList(), resources.field("listeners"));
    // Against every declared name: a cluster rejected for its own problems is still no unknown one.
    translation.checkClusterReferences(bootstrap.getStaticResources().getClustersList().stream()
        .map(Cluster::getName)
        .collect(Collectors.toSet()));
    Optional<InetSocketAddress> admin = Optional.empty();
    if (bootstrap.hasAdmin()) {
      FieldPath path = FieldPath.ROOT.field("admin").field("address");
      if (bootstrap.getAdmin().hasAddress()) {
        admin = SocketAddresses.bindAddress(bootstrap.getAdmin().getAddress(), path, translation);
      } else {
        translation.error(path, "required when admin is set");
      }
    }
    admin.ifPresent(address -> listeners.stream()
        .filter(listener -> SocketAddresses.clash(address, listener.address()))
        .findFirst()
        .ifPresent(listener -> translation.error(FieldPath.ROOT.field("admin").field("address"),
            "address " + SocketAddresses.text(address) + " clashes with listener "
                + Translation.quote(listener.name()) + " on " + SocketAddresses.text(listener.address()))));
    return new ProxyConfig(
        new ProxyConfig.Node(bootstrap.getNode().getId(), bootstrap.getNode().getCluster()),
        admin,
        listeners,
        clusters);
  }
}
