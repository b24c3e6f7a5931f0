package io.quell.server.login;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Slows password guessing for one user from one client address, where every check costs
 * about 200 ms of CPU: after {@code freeAttempts} failures, a check may run only once the
 * pair's window has passed, which doubles with every further failure up to {@code maxDelay}.
 * An attempt inside the window waits for its end and is refused without a check, so guessing
 * is slow and nearly free for the server. Other addresses and users are not affected (an
 * attacker cannot lock root out from elsewhere), a success clears the pair, and the state is
 * a bounded cache. The checks of one pair run one at a time: a pool opening twenty connections
 * at once with the right password is not twenty guesses, and parallel guesses are not free.
 */
public final class LoginThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

  /** The product's schedule: five free attempts, then 1 s, doubling up to 30 s. */
  public static LoginThrottle standard() {
    return new LoginThrottle(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  private record Pair(String user, String address) {
  }

  /** The failures of one pair, when its next check may run, and whether one is running. */
  private static final class Gate {
    int failures;
    long openAt;
    boolean checking;

    Gate(long now) {
      this.openAt = now;
    }
  }

  private final int freeAttempts;
  private final long firstDelayNanos;
  private final long maxDelayNanos;
  private final Cache<Pair, Gate> gates;

  public LoginThrottle(int freeAttempts, Duration firstDelay, Duration maxDelay) {
    this.freeAttempts = freeAttempts;
    this.firstDelayNanos = firstDelay.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    // Forgotten pairs start afresh: long after their last attempt, and under a flood of pairs.
    this.gates = CacheBuilder.newBuilder().maximumSize(100_000)
        .expireAfterAccess(maxDelay.multipliedBy(20)).build();
  }

  /** How long a pair waits after {@code failures} failures. */
  public long delayNanos(int failures) {
    if (failures < freeAttempts) {
      return 0;
    }
    long delay = firstDelayNanos;
    for (int f = freeAttempts; f < failures && delay < maxDelayNanos; f++) {
      delay *= 2;
    }
    return Math.min(delay, maxDelayNanos);
  }

  /**
   * Whether the password of {@code user} from {@code address} may be checked now, once the
   * pair's check in flight has ended; if not, returns false once the pair's window has passed.
   * An admitted check must end with {@link #failed} or {@link #succeeded}; it counts as a
   * failure until {@link #succeeded} says otherwise. A caller that waited should see whether
   * the check it waited for has verified its password before checking it again.
   */
  public boolean admit(String user, String address) {
    Pair pair = new Pair(user, address);
    Gate gate = gate(pair);
    long wait;
    synchronized (gate) {
      long giveUp = System.nanoTime() + maxDelayNanos;
      while (gate.checking) {
        long left = giveUp - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(gate, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      long now = System.nanoTime();
      if (gate.failures < freeAttempts || now - gate.openAt >= 0) {
        gate.checking = true;
        gate.failures++;
        if (gate.failures >= freeAttempts) {
          gate.openAt = now + delayNanos(gate.failures);
          if (gate.failures == freeAttempts) {
            LOG.info("login of user {} from {} throttled after {} failed attempts", user,
                address, freeAttempts);
          }
        }
        return true;
      }
      wait = Math.min(gate.openAt - now, maxDelayNanos);
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** The admitted check failed: the window starts from now. */
  public void failed(String user, String address) {
    Gate gate = gates.getIfPresent(new Pair(user, address));
    if (gate != null) {
      synchronized (gate) {
        if (gate.failures >= freeAttempts) {
          gate.openAt = System.nanoTime() + delayNanos(gate.failures);
        }
        gate.checking = false;
        gate.notifyAll();
      }
    }
  }

  /** The password was right: the pair starts afresh, and the next waiting check may run. */
  public void succeeded(String user, String address) {
    Gate gate = gates.getIfPresent(new Pair(user, address));
    if (gate != null) {
      synchronized (gate) {
        gate.failures = 0;
        gate.openAt = System.nanoTime();
        gate.checking = false;
        gate.notifyAll();
      }
    }
  }

  private Gate gate(Pair pair) {
    try {
      return gates.get(pair, () -> new Gate(System.nanoTime()));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
