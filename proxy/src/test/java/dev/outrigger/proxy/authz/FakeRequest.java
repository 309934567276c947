package dev.outrigger.proxy.authz;

import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.Map;

/** A request or connection with fixed facts, for table tests of the rules. */
record FakeRequest(
    PeerIdentity peer,
    InetSocketAddress directRemoteAddress,
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    Map<String, String> headers,
    String method,
    String authority,
    String rawPath)
    implements AuthzRequest {

  static final PeerIdentity CART =
      new PeerIdentity(true, java.util.List.of("spiffe://mesh.test/ns/shop/sa/cart"), java.util.List.of("cart.shop"),
          "CN=cart,O=shop");

  /** An mTLS request from {@link #CART} at 10.0.0.5 to 10.0.0.1:8080, GET /api/items?x=1. */
  static FakeRequest http() {
    return new FakeRequest(
        CART,
        new InetSocketAddress("10.0.0.5", 40000),
        new InetSocketAddress("10.0.0.5", 40000),
        new InetSocketAddress("10.0.0.1", 8080),
        Map.of("x-team", "blue"),
        "GET",
        "shop.test",
        "/api/items?x=1");
  }

  /** The same peer and addresses as a connection: no HTTP parts. */
  static FakeRequest connection() {
    FakeRequest http = http();
    return new FakeRequest(http.peer, http.directRemoteAddress, http.remoteAddress, http.localAddress, Map.of(),
        null, null, null);
  }

  FakeRequest withPeer(PeerIdentity newPeer) {
    return new FakeRequest(newPeer, directRemoteAddress, remoteAddress, localAddress, headers, method, authority, rawPath);
  }

  FakeRequest withClient(String address) {
    return new FakeRequest(peer, directRemoteAddress, new InetSocketAddress(address, 0), localAddress, headers, method,
        authority, rawPath);
  }

  FakeRequest withPath(String path) {
    return new FakeRequest(peer, directRemoteAddress, remoteAddress, localAddress, headers, method, authority, path);
  }

  @Override
  public String header(AsciiString lowerCaseName) {
    return headers.get(lowerCaseName.toString());
  }

  @Override
  public String path() {
    if (rawPath == null) {
      return null;
    }
    int query = rawPath.indexOf('?');
    return query < 0 ? rawPath : rawPath.substring(0, query);
  }
}
