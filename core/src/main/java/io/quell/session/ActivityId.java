package io.quell.session;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import com.google.common.base.CharMatcher;

import java.util.HexFormat;

/**
 * The 128-bit id of a session or query, printed as 32 lower-case hex characters: the high 64
 * bits are a {@link MonotonicWallClock} reading taken when it started, the low 64 bits the node
 * id. The node id inside the id is what lets any node route a cancel to the owner.
 */
public record ActivityId(long startTime, long nodeId) {
  private static final int HEX_LENGTH = 32;
  private static final CharMatcher HEX_DIGIT =
      CharMatcher.inRange('0', '9').or(CharMatcher.inRange('a', 'f'))
          .or(CharMatcher.inRange('A', 'F'));
  private static final HexFormat HEX = HexFormat.of();

  /** Parses an id typed by a user; {@code noun} ("session" or "query") names it in the error. */
  public static ActivityId parse(String text, String noun) {
    // Checked here, not left to parseUnsignedLong, which also takes a sign and non-ASCII digits
    if (text.length() != HEX_LENGTH || !HEX_DIGIT.matchesAllOf(text)) {
      throw malformed(text, noun);
    }
    return new ActivityId(Long.parseUnsignedLong(text.substring(0, 16), 16),
        Long.parseUnsignedLong(text.substring(16), 16));
  }

  private static QuellException malformed(String text, String noun) {
    // Long garbage is cut so that a 10 MB string does not come back in the error.
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return new QuellException(SqlState.INVALID_PARAMETER_VALUE,
        "could not parse " + noun + " ID '" + shown + "'");
  }

  @Override public String toString() {
    return HEX.toHexDigits(startTime) + HEX.toHexDigits(nodeId);
  }
}
