package io.quell.pgwire;

/**
 * A token bucket: up to {@code burst} tokens, refilled at {@code perSecond}. Not thread-safe:
 * its owner synchronizes.
 */
final class TokenBucket {
  private final double burst;
  private final double perNano;
  private double tokens;
  private long refilledAt;

  TokenBucket(double burst, double perSecond, long now) {
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** Whether a token is left at time {@code now} (nanoseconds). */
  boolean hasToken(long now) {
    tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    return tokens >= 1;
  }

  /** Spends a token, which {@link #hasToken} said was there. */
  void spend() {
    tokens--;
  }
}
