/**
 * The HTTP connection manager: HTTP/1.1 and HTTP/2 (h2c and h2) on the downstream side, HTTP/1.1,
 * HTTP/2 or ALPN-chosen upstreams, gRPC and WebSocket through both.
 *
 * <p>How a request flows. {@link dev.outrigger.proxy.http.HttpConnectionManager#install} puts a
 * codec on the connection: {@code Http1Downstream} (strict decoder, one request at a time) or
 * {@code Http2Downstream} (one child channel per stream), chosen by config, ALPN or the connection
 * preface ({@code PrefaceDetector}). Both normalise to Netty {@code HttpObject}s and hand them to one
 * {@code Exchange} per request, which routes, answers locally ({@code LocalReply}) or takes an
 * {@code UpstreamStream} from the event loop's pools ({@code UpstreamPools}: {@code
 * Http1ConnectionPool}, {@code Http2ConnectionPool}, {@code AlpnConnectionPool}) and relays both
 * bodies. Auto-read is off everywhere: each side is read only while the other is writable, which
 * for HTTP/2 streams is what drives the flow-control windows. An accepted WebSocket upgrade leaves
 * HTTP for a {@code WebSocketTunnel}.
 *
 * <p>Reference counting: a decoded object belongs to whoever holds it last; the exchange either
 * writes it on (the write releases it), keeps it in its waiting queue until the upstream is ready,
 * or releases it. Nothing aggregates a body.
 */
package dev.outrigger.proxy.http;
