package dev.outrigger.controlplane.xds;

import com.google.protobuf.Message;
import dev.outrigger.controlplane.xds.ProxyStatus.Nack;
import dev.outrigger.controlplane.xds.ProxyStatus.Protocol;
import dev.outrigger.controlplane.xds.ProxyStatus.TypeStatus;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ADS stream of one proxy, either protocol variant. The first request names the node; from
 * then on requests subscribe, ACK and NACK per type, and {@link #push()} brings the stream to the
 * node's current resources. Every entry point holds the stream's lock, so requests, pushes and
 * the responses they write never interleave.
 *
 * <p>A push sends updates type by type in make-before-break order ({@link ResourceType}); what
 * the new resources no longer contain is removed only once every response sent so far was
 * accepted (in {@link ResourceType#REMOVAL_ORDER}). Until then the proxy keeps it, so nothing it
 * still routes to disappears under it; a NACK holds the removals back until a later push is
 * accepted.
 */
abstract class AdsStream<Q extends Message, R extends Message> implements StreamObserver<Q> {
  private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);

  private final AdsContext context;
  private final StreamObserver<R> responses;
  private final Map<ResourceType, TypeProgress> progress = new EnumMap<>(ResourceType.class);
  private Node node;
  private Instant connectedSince;
  private Snapshot snapshot;
  private long nonces;
  private boolean closed;

  AdsStream(AdsContext context, StreamObserver<R> responses) {
    this.context = context;
    this.responses = responses;
  }

  abstract Protocol protocol();

  abstract Node nodeOf(Q request);

  abstract String typeUrlOf(Q request);

  /** Applies one request of {@code type}: its ACK or NACK, its subscription, a response if due. */
  abstract void handle(ResourceType type, Q request);

  abstract boolean subscribed(ResourceType type);

  /** Sends what changed of {@code type} in {@link #snapshot()}, keeping what is to be removed. */
  abstract void sendUpdates(ResourceType type);

  /** Sends the removals of {@code type}, if any; true if it sent a response. */
  abstract boolean sendRemovals(ResourceType type);

  @Override
  public final synchronized void onNext(Q request) {
    if (closed) {
      return;
    }
    try {
      if (node == null && !open(nodeOf(request))) {
        return;
      }
      Optional<ResourceType> type = ResourceType.ofTypeUrl(typeUrlOf(request));
      if (type.isEmpty()) {
        LOG.debug("node {} asked for unsupported type {}; not answered", nodeId(), typeUrlOf(request));
        return;
      }
      handle(type.get(), request);
      removeOrConverge();
    } catch (RuntimeException e) {
      LOG.error("ADS stream of node {} failed", nodeId(), e);
      fail(Status.INTERNAL.withDescription("control plane error: " + e));
    }
  }

  @Override
  public final synchronized void onError(Throwable t) {
    LOG.debug("ADS stream of node {} ended: {}", nodeId(), Status.fromThrowable(t));
    close();
  }

  @Override
  public final synchronized void onCompleted() {
    if (!closed) {
      responses.onCompleted();
    }
    close();
  }

  /** Brings the proxy to its node's current resources. */
  final synchronized void push() {
    if (closed) {
      return;
    }
    long start = context.scheduler().nanoTime();
    try {
      snapshot = context.cache().snapshot(nodeId());
      for (ResourceType type : ResourceType.values()) {
        if (subscribed(type)) {
          sendUpdates(type);
        }
      }
      removeOrConverge();
    } catch (RuntimeException e) {
      // Typically the call was cancelled a moment ago and its onError is on its way. The other
      // streams of the batch must still be pushed: drop this one quietly.
      LOG.debug("push to node {} failed; stream dropped", nodeId(), e);
      close();
      return;
    }
    context.metrics().pushTook(context.scheduler().nanoTime() - start);
  }

  final synchronized ProxyStatus status() {
    Map<ResourceType, TypeStatus> types = new EnumMap<>(ResourceType.class);
    progress.forEach((type, p) -> types.put(type, p.status()));
    return new ProxyStatus(node, protocol(), connectedSince, Map.copyOf(types));
  }

  final String nodeId() {
    return node == null ? "(unnamed)" : node.getId();
  }

  /** The node's resources as of the latest push: requests are answered from it, never fresher. */
  final Snapshot snapshot() {
    return snapshot;
  }

  final TypeProgress progress(ResourceType type) {
    return progress.computeIfAbsent(type, t -> new TypeProgress());
  }

  final String nextNonce() {
    return Long.toString(++nonces);
  }

  /** Writes {@code response} of {@code type} and records it. */
  final void emit(ResourceType type, String nonce, String version, R response, boolean supersedes) {
    responses.onNext(response);
    progress(type).sent(nonce, version, context.clock().instant(), supersedes);
    context.metrics().pushed(type);
  }

  /** Records the proxy's answer to the response {@code nonce}: an ACK, or a NACK if {@code error}. */
  final void answer(ResourceType type, String nonce, com.google.rpc.Status error) {
    TypeProgress p = progress(type);
    boolean rejected = error.getCode() != 0 || !error.getMessage().isEmpty();
    if (!rejected) {
      context.events().acked(nodeId(), type, p.ack(nonce));
      return;
    }
    Nack nack = p.nack(nonce, error.getMessage(), context.clock().instant());
    context.metrics().nacked(type);
    LOG.warn("node {} rejected {} version {} (nonce {}): {}", nodeId(), type, nack.version(), nonce,
        error.getMessage());
    context.events().nacked(nodeId(), type, nack.version(), error.getMessage());
  }

  private boolean open(Node first) {
    if (first.getId().isEmpty()) {
      fail(Status.INVALID_ARGUMENT.withDescription("the first request must name its node (node.id)"));
      return false;
    }
    node = first;
    connectedSince = context.clock().instant();
    snapshot = context.cache().resolve(first);
    // Convergence times changes pushed to connected proxies; the node's initial resources may
    // have been set long before it connected.
    snapshot.claimConvergence();
    context.streams().add(this);
    LOG.info("node {} connected ({})", nodeId(), protocol());
    context.events().connected(first);
    return true;
  }

  /**
   * Once every response is accepted: the removals, or, with none left, the convergence time of
   * the snapshot (from its change to now), recorded once per snapshot.
   */
  private void removeOrConverge() {
    for (TypeProgress p : progress.values()) {
      if (!p.settled()) {
        return;
      }
    }
    boolean removed = false;
    for (ResourceType type : ResourceType.REMOVAL_ORDER) {
      if (subscribed(type)) {
        removed |= sendRemovals(type);
      }
    }
    if (!removed && context.cache().isCurrent(nodeId(), snapshot) && snapshot.claimConvergence()) {
      context.metrics().converged(context.scheduler().nanoTime() - snapshot.setAtNanos());
    }
  }

  private void fail(Status status) {
    responses.onError(status.asRuntimeException());
    close();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (node != null) {
      context.streams().remove(this);
      LOG.info("node {} disconnected", nodeId());
      context.events().disconnected(nodeId());
    }
  }
}
