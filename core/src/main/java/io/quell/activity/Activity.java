package io.quell.activity;

import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;

/**
 * A session or query that a cancel can name, wherever it runs: this node or another member.
 * Found by an {@link ActivityDirectory}, which also cancels it; knows whose it is, so that
 * privileges are checked, and the cancel audited, on the node that the CANCEL ran on.
 *
 * @param owner the user whose session it is (or whose session runs the query)
 */
public record Activity(ActivityKind kind, ActivityId id, String owner) {
}
