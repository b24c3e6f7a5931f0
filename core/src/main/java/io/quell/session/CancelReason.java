package io.quell.session;

/**
 * Why a session or query was cancelled, and what the canceler said, if anything ({@code WITH
 * MESSAGE}); the victim's error carries both.
 */
public record CancelReason(CancelCause cause, String message) {
  public CancelReason {
    java.util.Objects.requireNonNull(cause, "cause");
  }

  /** A cancel with no message, as the node's own causes are. */
  public static CancelReason of(CancelCause cause) {
    return new CancelReason(cause, null);
  }

  /** {@code error}, the victim's error text, with the canceler's message after it. */
  public String describe(String error) {
    return message == null ? error
        : error + ", message from the canceler: \"" + message + "\"";
  }
}
