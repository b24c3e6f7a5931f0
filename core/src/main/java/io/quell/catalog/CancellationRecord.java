package io.quell.catalog;

import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;

import java.time.Instant;

/**
 * One row of the cancellation audit: who cancelled what of whom, when and why, and the
 * canceler's message (null for none).
 */
public record CancellationRecord(Instant time, String canceller, ActivityKind targetKind,
    String targetId, String targetUser, CancelCause cause, String statement, String message) {
}
