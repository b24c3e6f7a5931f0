package io.quell.activity;

/**
 * Who reads another member's node tables, as much of the reader's privileges as decides which
 * rows it sees and which query texts reach it redacted: the member that holds the rows filters
 * them by the same rule as for its own readers, so that rows a reader may not see never leave
 * that member.
 *
 * @param admin a member of {@code admin}
 * @param viewActivity holds VIEWACTIVITY
 * @param viewActivityRedacted holds VIEWACTIVITYREDACTED
 */
public record Viewer(String name, boolean admin, boolean viewActivity,
    boolean viewActivityRedacted) {
}
