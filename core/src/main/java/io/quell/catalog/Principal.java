package io.quell.catalog;

/**
 * A role's effective privileges: its own options plus those of every role it belongs to,
 * directly or through other roles, as in CockroachDB. Membership of {@code admin} grants all.
 */
public record Principal(String name, boolean isAdmin, boolean viewActivity,
    boolean viewActivityRedacted, boolean cancelQuery, boolean canLogin) {
}
