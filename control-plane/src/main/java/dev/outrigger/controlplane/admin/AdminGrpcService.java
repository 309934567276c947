package dev.outrigger.controlplane.admin;

import dev.outrigger.api.admin.v1.AdminServiceGrpc;
import dev.outrigger.api.admin.v1.ApplyRequest;
import dev.outrigger.api.admin.v1.ApplyResponse;
import dev.outrigger.api.admin.v1.CloudEvent;
import dev.outrigger.api.admin.v1.DeleteRequest;
import dev.outrigger.api.admin.v1.DeleteResponse;
import dev.outrigger.api.admin.v1.DescribeProxyRequest;
import dev.outrigger.api.admin.v1.GetResourceRequest;
import dev.outrigger.api.admin.v1.ListProxiesRequest;
import dev.outrigger.api.admin.v1.ListProxiesResponse;
import dev.outrigger.api.admin.v1.ListResourcesRequest;
import dev.outrigger.api.admin.v1.ListResourcesResponse;
import dev.outrigger.api.admin.v1.MeshResource;
import dev.outrigger.api.admin.v1.ProxyDescription;
import dev.outrigger.api.admin.v1.StreamEventsRequest;
import dev.outrigger.controlplane.events.EventFeed;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** {@code outrigger.admin.v1.AdminService} over gRPC; add {@link #definition()} to a server. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  /** The calling peer's address, for the loopback rule of Apply and Delete. */
  private static final Context.Key<SocketAddress> CALLER = Context.key("outrigger-admin-caller");

  private final AdminApi api;

  public AdminGrpcService(AdminApi api) {
    this.api = api;
  }

  /** This service with the interceptor that tells it who calls. */
  public ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Context context = Context.current()
            .withValue(CALLER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return Contexts.interceptCall(context, call, headers, next);
      }
    });
  }

  @Override
  public void apply(ApplyRequest request, StreamObserver<ApplyResponse> responses) {
    unary(responses, () -> api.apply(request, CALLER.get()));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> responses) {
    unary(responses, () -> api.delete(request, CALLER.get()));
  }

  @Override
  public void listResources(ListResourcesRequest request, StreamObserver<ListResourcesResponse> responses) {
    unary(responses, () -> api.listResources(request));
  }

  @Override
  public void getResource(GetResourceRequest request, StreamObserver<MeshResource> responses) {
    unary(responses, () -> api.getResource(request));
  }

  @Override
  public void listProxies(ListProxiesRequest request, StreamObserver<ListProxiesResponse> responses) {
    unary(responses, api::listProxies);
  }

  @Override
  public void describeProxy(DescribeProxyRequest request, StreamObserver<ProxyDescription> responses) {
    unary(responses, () -> api.describeProxy(request));
  }

  /** Recent events, then (with follow) each new one: see {@link Relay}. */
  @Override
  public void streamEvents(StreamEventsRequest request, StreamObserver<CloudEvent> responses) {
    EventFeed feed;
    try {
      feed = api.events();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    }
    Relay relay = new Relay((ServerCallStreamObserver<CloudEvent>) responses);
    if (request.getFollow()) {
      relay.following(feed.subscribe(relay::live, relay::feedEnded));
    }
    relay.recent(feed.recent(), request.getFollow());
  }

  /**
   * One event stream. It subscribes before it reads the recent window, so nothing falls between
   * the two; events that come before the window is sent wait, and those in the window are not
   * sent twice. A caller whose flow-control window is full when an event comes is cut off, as the
   * feed cuts off readers that fall behind, rather than buffering without bound.
   */
  private static final class Relay {
    private final ServerCallStreamObserver<CloudEvent> stream;
    private final List<dev.outrigger.controlplane.events.CloudEvent> early = new ArrayList<>();
    private Set<String> recentIds;
    private boolean ended;
    private EventFeed.Subscription subscription;

    Relay(ServerCallStreamObserver<CloudEvent> stream) {
      this.stream = stream;
    }

    /** Ends the subscription with the stream, whether the caller cancels or the relay cuts it off. */
    void following(EventFeed.Subscription subscription) {
      synchronized (this) {
        this.subscription = subscription;
      }
      stream.setOnCancelHandler(subscription::close);
    }

    synchronized void live(dev.outrigger.controlplane.events.CloudEvent event) {
      if (recentIds == null) {
        early.add(event);
      } else if (!recentIds.contains(event.id())) {
        if (!ended && !stream.isCancelled() && !stream.isReady()) {
          ended = true;
          stream.onError(Status.RESOURCE_EXHAUSTED
              .withDescription("the event stream's reader fell behind").asRuntimeException());
          if (subscription != null) {
            subscription.close();
          }
        }
        send(event);
      }
    }

    /** The feed ended the subscription: this reader fell behind it, or the control plane is stopping. */
    synchronized void feedEnded() {
      if (!ended && !stream.isCancelled()) {
        ended = true;
        stream.onError(Status.UNAVAILABLE
            .withDescription("the event feed ended this stream (reader behind, or stopping)")
            .asRuntimeException());
      }
    }

    synchronized void recent(List<dev.outrigger.controlplane.events.CloudEvent> recent, boolean follow) {
      recentIds = new HashSet<>();
      for (dev.outrigger.controlplane.events.CloudEvent event : recent) {
        recentIds.add(event.id());
        send(event);
      }
      early.stream().filter(event -> !recentIds.contains(event.id())).forEach(this::send);
      early.clear();
      if (!follow && !ended) {
        ended = true;
        stream.onCompleted();
      }
    }

    /** The window and the early events go out whatever the flow control: they are bounded. */
    private void send(dev.outrigger.controlplane.events.CloudEvent event) {
      if (!ended && !stream.isCancelled()) {
        stream.onNext(EventMessages.message(event));
      }
    }
  }

  private static <R> void unary(StreamObserver<R> responses, Supplier<R> call) {
    R response;
    try {
      response = call.get();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
