package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.FilterChainMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Envoy's filter-chain selection. Criteria narrow the candidates in Envoy's order (destination
 * port, server name, transport protocol, application protocols); at each step only the chains with
 * the most specific criterion that matches go on, and chains without that criterion are the least
 * specific. As in Envoy there is no backtracking: if the most specific candidates fail a later
 * criterion, the connection gets the default chain, or none.
 */
final class FilterChainSelector {
  private static final int NO_MATCH = -1;
  private static final int UNCONSTRAINED = 0;

  private final List<PreparedChain> chains;
  private final PreparedChain defaultChain;

  FilterChainSelector(List<PreparedChain> chains, PreparedChain defaultChain) {
    this.chains = List.copyOf(chains);
    this.defaultChain = defaultChain;
  }

  /** The chain for a connection, or null when none matches and there is no default chain. */
  PreparedChain select(int destinationPort, Detected detected) {
    List<PreparedChain> candidates = chains;
    candidates = mostSpecific(candidates, m -> portScore(m, destinationPort));
    candidates = mostSpecific(candidates, m -> serverNameScore(m, detected.serverName()));
    candidates = mostSpecific(candidates, m -> transportScore(m, detected.transportProtocol()));
    candidates = mostSpecific(candidates, m -> alpnScore(m, detected.applicationProtocols()));
    return candidates.isEmpty() ? defaultChain : candidates.get(0);
  }

  /** The candidates with the highest non-negative score. */
  private static List<PreparedChain> mostSpecific(
      List<PreparedChain> candidates, ToIntFunction<FilterChainMatch> score) {
    int best = NO_MATCH;
    List<PreparedChain> winners = new ArrayList<>();
    for (PreparedChain chain : candidates) {
      int s = score.applyAsInt(chain.config().match());
      if (s > best) {
        best = s;
        winners.clear();
      }
      if (s == best && s != NO_MATCH) {
        winners.add(chain);
      }
    }
    return winners;
  }

  private static int portScore(FilterChainMatch match, int port) {
    if (match.destinationPort().isEmpty()) {
      return UNCONSTRAINED;
    }
    return match.destinationPort().getAsInt() == port ? 1 : NO_MATCH;
  }

  /** Exact beats any wildcard; a longer wildcard suffix beats a shorter one. */
  private static int serverNameScore(FilterChainMatch match, Optional<String> serverName) {
    if (match.serverNames().isEmpty()) {
      return UNCONSTRAINED;
    }
    if (serverName.isEmpty()) {
      return NO_MATCH;
    }
    String name = serverName.get();
    int best = NO_MATCH;
    for (String pattern : match.serverNames()) {
      if (pattern.equals(name)) {
        return Integer.MAX_VALUE;
      }
      if (pattern.startsWith("*.") && name.endsWith(pattern.substring(1))) {
        best = Math.max(best, pattern.length());
      }
    }
    return best;
  }

  private static int transportScore(FilterChainMatch match, String transport) {
    if (match.transportProtocol().isEmpty()) {
      return UNCONSTRAINED;
    }
    return match.transportProtocol().get().equals(transport) ? 1 : NO_MATCH;
  }

  /**
   * Envoy walks the connection's protocols in order and takes the chains naming the first one any
   * chain names; so an earlier client preference scores higher.
   */
  private static int alpnScore(FilterChainMatch match, List<String> offered) {
    if (match.applicationProtocols().isEmpty()) {
      return UNCONSTRAINED;
    }
    for (int i = 0; i < offered.size(); i++) {
      if (match.applicationProtocols().contains(offered.get(i))) {
        return offered.size() - i;
      }
    }
    return NO_MATCH;
  }
}
