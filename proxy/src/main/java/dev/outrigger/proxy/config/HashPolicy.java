package dev.outrigger.proxy.config;

/**
 * One route {@code hash_policy} entry: which part of a request feeds the hash that RING_HASH and
 * MAGLEV clusters balance by.
 *
 * @param name the header (lower case), cookie or query parameter name; empty for {@link
 *     Source#SOURCE_IP}
 * @param terminal when this entry produced a hash, the later entries are skipped
 */
public record HashPolicy(Source source, String name, boolean terminal) {

  public enum Source {
    HEADER,
    COOKIE,
    SOURCE_IP,
    QUERY_PARAMETER
  }
}
