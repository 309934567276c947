package dev.outrigger.controlplane.ca.service;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Takes the credential out of the {@code authorization: Bearer <credential>} metadata and puts it
 * in the call's context; the service decides what it is worth. A header in any other form counts
 * as no credential.
 */
final class BearerCredential implements ServerInterceptor {
  static final Context.Key<String> CREDENTIAL = Context.key("outrigger-bearer-credential");

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String header = headers.get(AUTHORIZATION);
    String credential = null;
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      credential = header.substring(BEARER.length()).trim();
    }
    return Contexts.interceptCall(Context.current().withValue(CREDENTIAL, credential), call, headers, next);
  }
}
