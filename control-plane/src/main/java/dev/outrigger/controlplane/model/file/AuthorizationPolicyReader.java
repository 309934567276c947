package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.AuthorizationPolicy;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Operation;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Source;
import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.ServiceKey;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec} of an AuthorizationPolicy. Whether a {@code targetRef.namespace} is allowed (root
 * namespace only) depends on the MeshConfig, so {@code ModelValidator} checks it.
 */
final class AuthorizationPolicyReader {
  private AuthorizationPolicyReader() {}

  static AuthorizationPolicy read(Metadata metadata, Fields spec) {
    AuthorizationPolicy.Action action =
        spec.requiredEnumeration("action", AuthorizationPolicy.Action.class, Enum::name);
    Optional<ServiceKey> target = spec.object("targetRef", ref -> {
      String group = ref.string("group").orElse("");
      if (!group.isEmpty()) {
        ref.problem("group", "must be \"\" (the core group of Service), not \"" + group + "\"");
      }
      String kind = ref.requiredString("kind");
      if (!kind.isEmpty() && !kind.equals("Service")) {
        ref.problem("kind", "must be Service, not \"" + kind + "\"");
      }
      String name = Syntax.label(ref, "name", ref.requiredString("name"));
      String namespace = Syntax.label(ref, "namespace",
          ref.string("namespace").orElse(metadata.namespace()));
      return new ServiceKey(namespace, name);
    });
    List<AuthorizationPolicy.Rule> rules = spec.list("rules", rule -> new AuthorizationPolicy.Rule(
        rule.list("from", AuthorizationPolicyReader::source),
        rule.list("to", AuthorizationPolicyReader::operation)));
    if (rules.isEmpty() && !spec.has("rules")) {
      spec.problem("rules", "required: at least one rule ({} matches every request)");
    }
    return new AuthorizationPolicy(metadata, action, target, rules);
  }

  private static Source source(Fields source) {
    List<String> ids = source.strings("spiffeIds");
    for (int i = 0; i < ids.size(); i++) {
      if (!ids.get(i).startsWith("spiffe://") && !ids.get(i).equals("*")) {
        source.problem("spiffeIds[" + i + "]", "must start with spiffe:// (or be *)");
      }
    }
    List<String> namespaces = source.strings("namespaces");
    for (int i = 0; i < namespaces.size(); i++) {
      Syntax.label(source, "namespaces[" + i + "]", namespaces.get(i));
    }
    List<String> accounts = source.strings("serviceAccounts");
    for (int i = 0; i < accounts.size(); i++) {
      if (!accounts.get(i).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        source.problem("serviceAccounts[" + i + "]", "must be <namespace>/<service account>");
      }
    }
    return new Source(ids, namespaces, accounts);
  }

  private static Operation operation(Fields operation) {
    List<String> paths = operation.strings("paths");
    for (int i = 0; i < paths.size(); i++) {
      if (!paths.get(i).startsWith("/") && !paths.get(i).startsWith("*")) {
        operation.problem("paths[" + i + "]", "must start with / or *");
      }
    }
    List<String> methods = operation.strings("methods");
    for (int i = 0; i < methods.size(); i++) {
      if (!methods.get(i).matches("[A-Z]+")) {
        operation.problem("methods[" + i + "]", "must be an upper-case HTTP method");
      }
    }
    List<Integer> ports = operation.integers("ports");
    for (int i = 0; i < ports.size(); i++) {
      if (ports.get(i) < 1 || ports.get(i) > 65535) {
        operation.problem("ports[" + i + "]", "must be from 1 to 65535");
      }
    }
    return new Operation(paths, methods, ports);
  }
}
