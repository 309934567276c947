package dev.outrigger.controlplane.token;

import java.io.IOException;

/**
 * Turns the bearer credential of a signing request into what it grants. Join tokens in
 * standalone mode; Kubernetes service-account tokens plug in here later.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * @param credential the text after "Bearer ", or null when the request carried none
   */
  Grant authenticate(String credential) throws IOException, AuthenticationException;
}
