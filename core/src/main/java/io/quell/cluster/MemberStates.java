package io.quell.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of each other member as this node last saw it, and since when: starting (its id
 * claimed, its address not yet published), up, or not answering. Every change is logged at
 * WARN to {@link #EVENTS}, so that an operator sees members come, stop answering and go.
 */
final class MemberStates {
  /**
   * The logger of membership and ZooKeeper changes; the shipped logging configurations keep it
   * at WARN whatever level the rest of the log has.
   */
  static final Logger EVENTS = LoggerFactory.getLogger("io.quell.cluster.membership");

  /** A member's state as {@code cluster_members} shows it. */
  enum State {
    STARTING("starting"), UP("up"), NOT_ANSWERING("not answering"),
    /** Up, and announced its drain: it answers its peers but takes no new sessions. */
    DRAINING("draining");

    private final String shown;

    State(String shown) {
      this.shown = shown;
    }

    String shown() {
      return shown;
    }
  }

  /** A state and when the member entered it. */
  record Observed(State state, Instant since) {
  }

  private final Map<Long, Observed> states = new ConcurrentHashMap<>();

  /** Member {@code id} claimed its id and is not yet ready to answer. */
  void starting(long id) {
    if (enter(id, State.STARTING, false)) {
      EVENTS.warn("cluster member {} is starting", id);
    }
  }

  /** Member {@code id} published {@code address}, where it answers. */
  void published(long id, String address) {
    if (enter(id, State.UP, false)) {
      EVENTS.warn("cluster member {} joined at {}", id, address);
    }
  }

  /** A call to member {@code id} failed with {@code problem}. */
  void notAnswering(long id, String problem) {
    if (enter(id, State.NOT_ANSWERING, true)) {
      EVENTS.warn("cluster member {} is not answering: {}", id, problem);
    }
  }

  /** Member {@code id} answered a call. */
  void answered(long id) {
    Observed before = states.get(id);
    if (before != null && before.state() == State.NOT_ANSWERING && enter(id, State.UP, true)) {
      EVENTS.warn("cluster member {} answers again", id);
    }
  }

  /** Member {@code id} left the cluster: it stopped, or ZooKeeper expired its session. */
  void left(long id) {
    if (states.remove(id) != null) {
      EVENTS.warn("cluster member {} left the cluster", id);
    }
  }

  /** The state of member {@code id}, null if it is not known. */
  Observed of(long id) {
    return states.get(id);
  }

  /**
   * Puts member {@code id} in {@code state}, keeping the time it entered it if it was already
   * in it; {@code ifKnown} changes only a member still listed, so that a late answer does not
   * bring back one that left. Whether the state changed.
   */
  private boolean enter(long id, State state, boolean ifKnown) {
    boolean[] changed = {false};
    states.compute(id, (key, before) -> {
      if (before == null && ifKnown) {
        return null;
      }
      if (before != null && before.state() == state) {
        return before;
      }
      changed[0] = true;
      return new Observed(state, Instant.now());
    });
    return changed[0];
  }
}
