package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.StringMatcher;
import java.util.List;

/** A principal or permission compiled to a predicate over a request. */
@FunctionalInterface
interface Rule {
  Rule ANY = request -> true;

  boolean matches(AuthzRequest request);

  static Rule of(Principal principal) {
    if (principal instanceof Principal.Any) {
      return ANY;
    } else if (principal instanceof Principal.Authenticated authenticated) {
      return authenticated(authenticated.principalName().orElse(null));
    } else if (principal instanceof Principal.AndIds and) {
      return all(and.ids().stream().map(Rule::of).toArray(Rule[]::new));
    } else if (principal instanceof Principal.OrIds or) {
      return any(or.ids().stream().map(Rule::of).toArray(Rule[]::new));
    } else if (principal instanceof Principal.NotId not) {
      return not(of(not.id()));
    } else if (principal instanceof Principal.Header header) {
      return HeaderRule.of(header.header());
    } else if (principal instanceof Principal.DirectRemoteIp direct) {
      CidrRange range = direct.range();
      return request -> range.contains(request.directRemoteAddress().getAddress());
    } else {
      CidrRange range = ((Principal.RemoteIp) principal).range();
      return request -> range.contains(request.remoteAddress().getAddress());
    }
  }

  static Rule of(Permission permission) {
    if (permission instanceof Permission.Any) {
      return ANY;
    } else if (permission instanceof Permission.AndRules and) {
      return all(and.rules().stream().map(Rule::of).toArray(Rule[]::new));
    } else if (permission instanceof Permission.OrRules or) {
      return any(or.rules().stream().map(Rule::of).toArray(Rule[]::new));
    } else if (permission instanceof Permission.NotRule not) {
      return not(of(not.rule()));
    } else if (permission instanceof Permission.Header header) {
      return HeaderRule.of(header.header());
    } else if (permission instanceof Permission.UrlPath urlPath) {
      StringMatcher matcher = urlPath.path();
      return request -> {
        String path = request.path();
        return path != null && matcher.matches(path);
      };
    } else if (permission instanceof Permission.DestinationPort port) {
      int wanted = port.port();
      return request -> request.localAddress().getPort() == wanted;
    } else {
      CidrRange range = ((Permission.DestinationIp) permission).range();
      return request -> range.contains(request.localAddress().getAddress());
    }
  }

  /** Envoy's {@code authenticated}: URI SANs, then DNS SANs, then the subject. */
  private static Rule authenticated(StringMatcher name) {
    if (name == null) {
      return request -> request.peer().authenticated();
    }
    return request -> {
      PeerIdentity peer = request.peer();
      return peer.authenticated()
          && (anyMatches(name, peer.uriSans())
              || anyMatches(name, peer.dnsSans())
              || name.matches(peer.subject()));
    };
  }

  private static boolean anyMatches(StringMatcher matcher, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (matcher.matches(values.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static Rule all(Rule[] rules) {
    return request -> {
      for (Rule rule : rules) {
        if (!rule.matches(request)) {
          return false;
        }
      }
      return true;
    };
  }

  /** Any of the rules; {@code or_ids} and {@code or_rules} lists of one are the common case. */
  static Rule any(Rule[] rules) {
    if (rules.length == 1) {
      return rules[0];
    }
    return request -> {
      for (Rule rule : rules) {
        if (rule.matches(request)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Rule not(Rule rule) {
    return request -> !rule.matches(request);
  }
}
