package io.quell.error;

import io.quell.client.SqlState;

import org.apache.calcite.avatica.util.DateTimeUtils;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * An error a user caused or is told about, carrying the SQLSTATE a PostgreSQL or CockroachDB
 * client expects. The JDBC layer turns it into a {@link java.sql.SQLException} with that state;
 * the message never contains transport handles or secrets.
 */
public class QuellException extends RuntimeException {
  /** How the JVM describes an ArithmeticException that failed a class's initializer. */
  private static final String INITIALIZER_ARITHMETIC = "Exception java.lang.ArithmeticException: ";

  private final SqlState sqlState;

  public QuellException(SqlState sqlState, String message) {
    this(sqlState, message, null);
  }

  public QuellException(SqlState sqlState, String message, Throwable cause) {
    super(message, cause);
    this.sqlState = requireNonNull(sqlState, "sqlState");
  }

  public SqlState sqlState() {
    return sqlState;
  }

  /**
   * The QuellException that caused {@code e}, wherever Calcite or Avatica wrapped it, or a new
   * one carrying the SQLSTATE of the first {@link java.sql.SQLException} in the chain.
   */
  public static QuellException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof QuellException q) {
        return q;
      }
    }
    Throwable engineError = engineError(e);
    if (engineError instanceof SqlParseException) {
      return new QuellException(SqlState.SYNTAX_ERROR, text(engineError), e);
    }
    if (engineError != null) {
      return new QuellException(SqlState.SYNTAX_ERROR_OR_ACCESS_RULE, text(engineError), e);
    }
    QuellException unreadable = unreadableText(e);
    if (unreadable != null) {
      return unreadable;
    }
    String arithmetic = arithmetic(e);
    if (arithmetic != null) {
      // the generated code's own arithmetic: the user's data, not an internal error
      return arithmetic.toLowerCase(Locale.ROOT).contains("zero")
          ? new QuellException(SqlState.DIVISION_BY_ZERO, "division by zero", e)
          : new QuellException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
              "numeric value out of range: " + arithmetic, e);
    }
    return new QuellException(SqlState.INTERNAL_ERROR, text(root(e)), e);
  }

  /**
   * The error of a text the statement casts that is no number (22P02) or no date or time
   * (22007), as {@code 'abc'::int} fails in the generated code; null for any other error.
   */
  private static QuellException unreadableText(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NumberFormatException) {
        return new QuellException(SqlState.INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for a number: " + t.getMessage(), e);
      }
      StackTraceElement[] thrower = t.getStackTrace();
      if (t instanceof IllegalArgumentException && thrower.length > 0
          && thrower[0].getClassName().equals(DateTimeUtils.class.getName())) {
        return new QuellException(SqlState.INVALID_DATETIME_FORMAT, t.getMessage(), e);
      }
    }
    return null;
  }

  /**
   * The message of the ArithmeticException that {@code e} comes from, or null. A plan whose
   * constants fail to compute fails in its class's static initializer; the JVM keeps only that
   * exception's description for later uses of the class (a cached plan's next execution):
   * {@code Exception java.lang.ArithmeticException: / by zero [in thread "main"]}.
   */
  private static String arithmetic(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ArithmeticException a) {
        return String.valueOf(a.getMessage());
      }
      String message = t.getMessage();
      if (t instanceof ExceptionInInitializerError && message != null
          && message.startsWith(INITIALIZER_ARITHMETIC)) {
        int thread = message.lastIndexOf(" [in thread");
        return message.substring(INITIALIZER_ARITHMETIC.length(),
            thread < 0 ? message.length() : thread);
      }
    }
    return null;
  }

  /**
   * {@code t}'s message, else its root cause's message or name: a parser that failed on an
   * assertion wraps it without a message, and Avatica refuses to send an error without text.
   */
  private static String text(Throwable t) {
    if (t.getMessage() != null) {
      return t.getMessage();
    }
    Throwable root = root(t);
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** The parse or validation error Calcite wrapped, whose message is the one users need. */
  private static Throwable engineError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException || t instanceof CalciteContextException) {
        return t;
      }
    }
    return null;
  }

  @Override public String toString() {
    return "QuellException[" + sqlState.code() + "]: " + getMessage();
  }
}
