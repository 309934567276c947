package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import java.util.List;
import java.util.Optional;

/** {@code config.rbac.v3.Principal}: who is calling. */
public sealed interface Principal {

  /** Everyone. */
  record Any() implements Principal {}

  /**
   * A caller with a validated client certificate; with a name, one whose URI SAN (its SPIFFE ID),
   * else DNS SAN, else subject matches it (see {@link PeerIdentity}).
   */
  record Authenticated(Optional<StringMatcher> principalName) implements Principal {}

  record AndIds(List<Principal> ids) implements Principal {
    public AndIds {
      ids = List.copyOf(ids);
    }
  }

  record OrIds(List<Principal> ids) implements Principal {
    public OrIds {
      ids = List.copyOf(ids);
    }
  }

  record NotId(Principal id) implements Principal {}

  /** A request header; never present on a connection (network filter). */
  record Header(HeaderMatcher header) implements Principal {}

  /** The address of the connection's peer. */
  record DirectRemoteIp(CidrRange range) implements Principal {}

  /**
   * The client's address as the connection manager found it through {@code x-forwarded-for}; the
   * peer's on a connection.
   */
  record RemoteIp(CidrRange range) implements Principal {}
}
