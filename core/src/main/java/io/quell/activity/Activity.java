package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;

/**
 * A session or query that a cancel can name, wherever it runs: this node or another member.
 * Found by an {@link ActivityDirectory}; knows whose it is, so that privileges are checked
 * before anything is cancelled, and how to cancel itself.
 */
public interface Activity {
  ActivityKind kind();

  ActivityId id();

  /** The user whose session it is (or whose session runs the query). */
  String owner();

  /** Cancels it; false if it had ended or was cancelled already, which is no error. */
  boolean cancel(CancelReason reason);
}
