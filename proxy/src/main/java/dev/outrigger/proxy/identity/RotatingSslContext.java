package dev.outrigger.proxy.identity;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS context that presents the workload's current certificate. Each accepted identity builds a
 * new context off the hot path and swaps it in behind one volatile reference; handlers are made by
 * whichever is current, and the one replaced is released: every engine holds its own reference to
 * the context it came from, so established connections finish on it untouched.
 *
 * <p>Why rebuild rather than a key manager read at every handshake: rotation happens every few
 * hours, a handshake thousands of times a second. A key manager would make BoringSSL re-encode and
 * re-parse the chain and key on every handshake; a rebuild costs one context per rotation and
 * leaves the handshake with a volatile read. It also drops the session cache with the old
 * certificate, so no session resumes on an identity that was replaced.
 *
 * <p>Released like any Netty context ({@link ReferenceCountUtil#release}): that stops following
 * the identity and releases the current context.
 */
final class RotatingSslContext extends SslContext implements ReferenceCounted {
  private static final Logger log = LoggerFactory.getLogger(RotatingSslContext.class);

  /** Builds the context presenting one identity. */
  @FunctionalInterface
  interface Builder {
    SslContext build(WorkloadIdentity identity) throws SSLException;
  }

  private final String name;
  private final boolean client;
  private final Builder builder;
  private final Runnable unsubscribe;
  private volatile SslContext current;
  private final AbstractReferenceCounted references =
      new AbstractReferenceCounted() {
        @Override
        protected void deallocate() {
          unsubscribe.run();
          releaseCurrent();
        }

        @Override
        public ReferenceCounted touch(Object hint) {
          return this;
        }
      };

  /**
   * @param name what the context is for (a filter chain, a cluster), for log lines
   */
  RotatingSslContext(String name, boolean client, WorkloadIdentities identities, Builder builder) {
    this.name = name;
    this.client = client;
    this.builder = builder;
    this.unsubscribe = identities.subscribe(this::rebuild);
  }

  /** Called on the identity source's thread for each accepted identity, before it is published. */
  private synchronized void rebuild(WorkloadIdentity identity) {
    if (references.refCnt() == 0) {
      return;
    }
    SslContext next;
    try {
      next = builder.build(identity);
    } catch (SSLException | RuntimeException e) {
      log.error("{}: cannot build a TLS context for the new identity; the previous one keeps serving", name, e);
      return;
    }
    SslContext previous = current;
    current = next;
    ReferenceCountUtil.release(previous);
  }

  private synchronized void releaseCurrent() {
    ReferenceCountUtil.release(current);
    current = null;
  }

  private SslContext current() {
    SslContext context = current;
    if (context == null) {
      throw new IllegalStateException(name + ": no workload identity loaded yet");
    }
    return context;
  }

  @Override
  protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
    return current().newHandler(alloc);
  }

  @Override
  protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
    return current().newHandler(alloc, executor);
  }

  @Override
  protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
    return current().newHandler(alloc, peerHost, peerPort);
  }

  @Override
  protected SslHandler newHandler(
      ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls, Executor executor) {
    return current().newHandler(alloc, peerHost, peerPort, executor);
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc) {
    return current().newEngine(alloc);
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return current().newEngine(alloc, peerHost, peerPort);
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public List<String> cipherSuites() {
    return current().cipherSuites();
  }

  @Override
  @SuppressWarnings("deprecation")
  public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
    return current().applicationProtocolNegotiator();
  }

  @Override
  public SSLSessionContext sessionContext() {
    return current().sessionContext();
  }

  @Override
  public int refCnt() {
    return references.refCnt();
  }

  @Override
  public ReferenceCounted retain() {
    references.retain();
    return this;
  }

  @Override
  public ReferenceCounted retain(int increment) {
    references.retain(increment);
    return this;
  }

  @Override
  public ReferenceCounted touch() {
    return this;
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    return this;
  }

  @Override
  public boolean release() {
    return references.release();
  }

  @Override
  public boolean release(int decrement) {
    return references.release(decrement);
  }
}
