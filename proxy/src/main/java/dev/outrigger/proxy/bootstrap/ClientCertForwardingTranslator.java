package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.ClientCertForwarding;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.SetCurrentClientCertDetails;

/** The connection manager's {@code forward_client_cert_details} and {@code set_current_client_cert_details}. */
final class ClientCertForwardingTranslator {
  private final Translation translation;

  ClientCertForwardingTranslator(Translation translation) {
    this.translation = translation;
  }

  ClientCertForwarding translate(HttpConnectionManager hcm, FieldPath path) {
    ClientCertForwarding.Mode mode = ClientCertForwarding.Mode.valueOf(hcm.getForwardClientCertDetails().name());
    SetCurrentClientCertDetails details = hcm.getSetCurrentClientCertDetails();
    boolean writes = mode == ClientCertForwarding.Mode.APPEND_FORWARD || mode == ClientCertForwarding.Mode.SANITIZE_SET;
    if (hcm.hasSetCurrentClientCertDetails() && !writes) {
      // Envoy ignores the details then; we never ignore configuration silently.
      translation.error(path.field("set_current_client_cert_details"),
          "has no effect unless forward_client_cert_details is APPEND_FORWARD or SANITIZE_SET (it is " + mode + ")");
    }
    return new ClientCertForwarding(
        mode, details.getSubject().getValue(), details.getCert(), details.getChain(), details.getUri(), details.getDns());
  }
}
