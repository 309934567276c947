package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import java.util.List;

/** {@code config.rbac.v3.Permission}: what is being asked for. */
public sealed interface Permission {

  /** Anything. */
  record Any() implements Permission {}

  record AndRules(List<Permission> rules) implements Permission {
    public AndRules {
      rules = List.copyOf(rules);
    }
  }

  record OrRules(List<Permission> rules) implements Permission {
    public OrRules {
      rules = List.copyOf(rules);
    }
  }

  record NotRule(Permission rule) implements Permission {}

  /** A request header; never present on a connection (network filter). */
  record Header(HeaderMatcher header) implements Permission {}

  /** The request path without query and fragment; never matches on a connection. */
  record UrlPath(StringMatcher path) implements Permission {}

  /** The port the connection was accepted on. */
  record DestinationPort(int port) implements Permission {}

  /** The address the connection was accepted on. */
  record DestinationIp(CidrRange range) implements Permission {}
}
