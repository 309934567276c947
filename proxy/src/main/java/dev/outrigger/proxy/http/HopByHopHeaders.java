package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what belongs to one hop only (RFC 9110 7.6.1), in both directions: Connection and the
 * headers it names, Keep-Alive, Proxy-Connection, Transfer-Encoding, TE except {@code trailers},
 * Upgrade unless a WebSocket upgrade passes through, and Netty's {@code x-http2-*} helpers.
 */
final class HopByHopHeaders {
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");
  private static final List<AsciiString> EXTENSION_HEADERS = extensionHeaders();

  private HopByHopHeaders() {}

  /** {@code keepUpgrade}: a WebSocket upgrade, whose Connection: upgrade and Upgrade must travel on. */
  static void strip(HttpHeaders headers, boolean keepUpgrade) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !(keepUpgrade && HttpHeaderValues.UPGRADE.contentEqualsIgnoreCase(name))) {
          headers.remove(name);
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    headers.remove(HttpHeaderNames.KEEP_ALIVE);
    headers.remove(PROXY_CONNECTION);
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    headers.remove(HTTP2_SETTINGS);
    if (keepUpgrade) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else {
      headers.remove(HttpHeaderNames.UPGRADE);
    }
    if (headers.contains(HttpHeaderNames.TE)) {
      boolean trailers = headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
      headers.remove(HttpHeaderNames.TE);
      if (trailers) {
        headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      }
    }
    for (AsciiString extension : EXTENSION_HEADERS) {
      headers.remove(extension);
    }
  }

  /** A request to switch to WebSocket ({@code Upgrade: websocket} with {@code Connection: upgrade}). */
  static boolean isWebSocketUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private static List<AsciiString> extensionHeaders() {
    List<AsciiString> names = new ArrayList<>();
    for (ExtensionHeaderNames name : ExtensionHeaderNames.values()) {
      names.add(name.text());
    }
    return List.copyOf(names);
  }
}
