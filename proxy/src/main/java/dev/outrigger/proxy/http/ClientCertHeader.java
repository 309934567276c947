package dev.outrigger.proxy.http;

import dev.outrigger.proxy.authz.PeerIdentity;
import dev.outrigger.proxy.config.ClientCertForwarding;
import dev.outrigger.proxy.config.ClientCertForwarding.Mode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * {@code x-forwarded-client-cert} for one downstream connection, in Envoy's format: this hop's
 * element is {@code By=<our URI SAN>;Hash=<SHA-256 of the client's DER>} and then, as configured,
 * {@code Subject="<RFC 2253>"}, {@code Cert="<URL-encoded PEM>"}, {@code Chain="<URL-encoded PEMs>"},
 * {@code URI=<client URI SAN>}, {@code DNS=<client DNS SAN>} (one per name), joined with {@code ;}.
 * The element depends only on the connection, so it is made once, when the connection starts.
 */
final class ClientCertHeader {
  static final AsciiString X_FORWARDED_CLIENT_CERT = AsciiString.cached("x-forwarded-client-cert");

  /** What every request of the connection gets done to its header. */
  private enum Action {
    REMOVE,
    KEEP,
    APPEND,
    SET
  }

  private static final ClientCertHeader REMOVE = new ClientCertHeader(Action.REMOVE, null);
  private static final ClientCertHeader KEEP = new ClientCertHeader(Action.KEEP, null);

  private final Action action;
  private final String element;

  private ClientCertHeader(Action action, String element) {
    this.action = action;
    this.element = element;
  }

  /**
   * @param peer the client's names, read from its certificate for this connection
   * @param downstream the connection, whose TLS session has our certificate and the client's chain
   */
  static ClientCertHeader forConnection(ClientCertForwarding config, PeerIdentity peer, Channel downstream) {
    Mode mode = config.mode();
    if (mode == Mode.ALWAYS_FORWARD_ONLY) {
      return KEEP;
    }
    SslHandler tls = downstream.pipeline().get(SslHandler.class);
    if (mode == Mode.SANITIZE || !peer.authenticated() || tls == null) {
      return REMOVE;
    }
    if (mode == Mode.FORWARD_ONLY) {
      return KEEP;
    }
    String element = element(config, peer, tls.engine().getSession());
    return new ClientCertHeader(mode == Mode.APPEND_FORWARD ? Action.APPEND : Action.SET, element);
  }

  /** Rewrites the request's header; a forged one from the caller is removed or replaced here. */
  void apply(HttpHeaders headers) {
    switch (action) {
      case REMOVE:
        headers.remove(X_FORWARDED_CLIENT_CERT);
        break;
      case APPEND:
        List<String> received = headers.getAll(X_FORWARDED_CLIENT_CERT);
        headers.set(X_FORWARDED_CLIENT_CERT,
            received.isEmpty() ? element : String.join(",", received) + "," + element);
        break;
      case SET:
        headers.set(X_FORWARDED_CLIENT_CERT, element);
        break;
      default:
        break;
    }
  }

  private static String element(ClientCertForwarding config, PeerIdentity peer, SSLSession session) {
    List<X509Certificate> chain = peerChain(session);
    List<String> parts = new ArrayList<>();
    for (String uri : localUriSans(session)) {
      parts.add("By=" + value(uri));
    }
    parts.add("Hash=" + sha256Hex(chain.get(0)));
    if (config.subject()) {
      // RFC 2253 already escapes quotes in attribute values, so the value goes in as it is.
      parts.add("Subject=\"" + peer.subject() + "\"");
    }
    if (config.cert()) {
      parts.add("Cert=\"" + urlEncode(pem(chain.get(0))) + "\"");
    }
    if (config.chain()) {
      StringBuilder pems = new StringBuilder();
      chain.forEach(certificate -> pems.append(pem(certificate)));
      parts.add("Chain=\"" + urlEncode(pems.toString()) + "\"");
    }
    if (config.uri()) {
      // As Envoy: the key is there even when the certificate has no URI SAN.
      if (peer.uriSans().isEmpty()) {
        parts.add("URI=");
      }
      peer.uriSans().forEach(uri -> parts.add("URI=" + value(uri)));
    }
    if (config.dns()) {
      peer.dnsSans().forEach(dns -> parts.add("DNS=" + value(dns)));
    }
    return String.join(";", parts);
  }

  /** A value with a separator or quote in it is quoted, its quotes escaped, as Envoy's docs say. */
  static String value(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ',' || c == ';' || c == '=' || c == '"') {
        return "\"" + raw.replace("\"", "\\\"") + "\"";
      }
    }
    return raw;
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : session.getPeerCertificates()) {
        chain.add((X509Certificate) certificate);
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      // The connection context saw the peer's certificate in this same session.
      throw new IllegalStateException("mTLS session without a peer certificate", e);
    }
  }

  private static List<String> localUriSans(SSLSession session) {
    Certificate[] local = session.getLocalCertificates();
    if (local == null || local.length == 0 || !(local[0] instanceof X509Certificate)) {
      return List.of();
    }
    return PeerIdentity.of((X509Certificate) local[0]).uriSans();
  }

  private static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash a certificate the TLS session accepted", e);
    }
  }

  private static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate the TLS session accepted", e);
    }
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, as Envoy's {@code urlEncode}. */
  static String urlEncode(String text) {
    StringBuilder encoded = new StringBuilder(text.length() * 2);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        encoded.append(c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return encoded.toString();
  }
}
