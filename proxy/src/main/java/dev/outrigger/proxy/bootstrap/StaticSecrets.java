package dev.outrigger.proxy.bootstrap;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code static_resources.secrets} by name, for the SDS references of TLS contexts. */
final class StaticSecrets {
  static final StaticSecrets NONE = new StaticSecrets(Map.of());

  /** A declared secret and where it was declared, for messages. */
  record Declared(Secret secret, FieldPath path) {}

  private final Map<String, Declared> byName;

  private StaticSecrets(Map<String, Declared> byName) {
    this.byName = Map.copyOf(byName);
  }

  static StaticSecrets of(List<Secret> secrets, FieldPath path, Translation translation) {
    Map<String, Declared> byName = new HashMap<>();
    for (int i = 0; i < secrets.size(); i++) {
      Secret secret = secrets.get(i);
      FieldPath at = path.index(i);
      if (secret.getName().isEmpty()) {
        translation.error(at.field("name"), "required");
      } else if (byName.putIfAbsent(secret.getName(), new Declared(secret, at)) != null) {
        translation.error(at.field("name"), "secret " + Translation.quote(secret.getName()) + " is declared twice");
      }
    }
    return new StaticSecrets(byName);
  }

  Optional<Declared> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
