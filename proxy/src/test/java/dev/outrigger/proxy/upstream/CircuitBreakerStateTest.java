package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.CircuitBreakers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitBreakerStateTest {
  private final List<Breaker> overflows = new ArrayList<>();
  private final UpstreamConnectionEvents events = new UpstreamConnectionEvents() {
    @Override
    public void overflowed(Breaker breaker) {
      overflows.add(breaker);
    }
  };

  @Test
  void eachLimitRefusesPastItsValueAndReportsTheOverflow() {
    CircuitBreakerState state = new CircuitBreakerState(new CircuitBreakers(1, 1, 1, 1, Optional.empty()), events);

    assertThat(state.tryStartRequest()).isTrue();
    assertThat(state.tryStartRequest()).isFalse();
    assertThat(state.tryStartPending()).isTrue();
    assertThat(state.tryStartPending()).isFalse();
    assertThat(state.tryOpenConnection(false)).isTrue();
    assertThat(state.tryOpenConnection(false)).isFalse();
    assertThat(state.tryStartRetry()).isTrue();
    assertThat(state.tryStartRetry()).isFalse();

    assertThat(overflows).containsExactly(
        Breaker.MAX_REQUESTS, Breaker.MAX_PENDING_REQUESTS, Breaker.MAX_CONNECTIONS, Breaker.MAX_RETRIES);
    state.requestEnded();
    state.pendingEnded();
    state.connectionClosed();
    state.retryEnded();
    for (Breaker breaker : Breaker.values()) {
      assertThat(state.inUse(breaker)).isZero();
    }
  }

  @Test
  void aPoolWithoutConnectionsMayAlwaysOpenOne() {
    CircuitBreakerState state = new CircuitBreakerState(new CircuitBreakers(1, 1, 1, 1, Optional.empty()), events);
    state.tryOpenConnection(false);

    assertThat(state.tryOpenConnection(true)).isTrue();
    assertThat(state.inUse(Breaker.MAX_CONNECTIONS)).isEqualTo(2);
    assertThat(overflows).isEmpty();
  }

  @Test
  void theRetryBudgetFollowsTheRequestsInFlightWithAFloor() {
    CircuitBreakerState state = new CircuitBreakerState(
        new CircuitBreakers(1024, 1024, 1024, 0, Optional.of(new CircuitBreakers.RetryBudget(20, 2))), events);
    for (int i = 0; i < 20; i++) {
      state.tryStartRequest();
    }

    int granted = 0;
    while (state.tryStartRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(4); // 20% of 20, above the floor of 2; max_retries 0 is replaced

    for (int i = 0; i < 15; i++) {
      state.requestEnded();
    }
    for (int i = 0; i < 4; i++) {
      state.retryEnded();
    }
    granted = 0;
    while (state.tryStartRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(2); // 20% of 5 is 1: the floor holds
  }
}
