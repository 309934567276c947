package dev.outrigger.proxy.config;

import java.util.List;

/**
 * How a TLS context checks its peer's certificate beyond a static {@code trusted_ca}.
 *
 * @param workloadBundle the roots are the workload's trust bundle (SDS secret {@code ROOTCA}) and
 *     the peer must be an X.509-SVID of the workload's trust domain
 * @param uriSanMatchers {@code match_typed_subject_alt_names} of type URI: the peer's URI SAN must
 *     match one of them; empty accepts any
 */
public record PeerValidation(boolean workloadBundle, List<StringMatcher> uriSanMatchers) {
  public static final PeerValidation NONE = new PeerValidation(false, List.of());

  public PeerValidation {
    uriSanMatchers = List.copyOf(uriSanMatchers);
  }

  /** Whether the proxy's own trust manager checks the peer (else the TLS library's default one). */
  public boolean needsPeerVerifier() {
    return workloadBundle || !uriSanMatchers.isEmpty();
  }
}
