package io.quell.parser.text;

/**
 * A SQL text whose tokens cannot be told apart: a string, quoted identifier or comment that
 * never ends. Nothing after that point can be trusted to be what it looks like, so a scanner
 * that must not show a secret shows none of the text.
 */
public final class UnlexableSqlException extends Exception {
  private final int position;

  UnlexableSqlException(String problem, int position) {
    super(problem + " at character " + (position + 1));
    this.position = position;
  }

  /** Where the token that does not end starts (0-based). */
  public int position() {
    return position;
  }
}
