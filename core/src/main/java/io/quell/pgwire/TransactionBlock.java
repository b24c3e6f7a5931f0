package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.util.List;

/**
 * A connection's transaction block as PostgreSQL clients see it. Quell runs every statement by
 * itself, its changes visible at once (as the Quell driver's manual-commit mode: commit and
 * rollback change nothing), so BEGIN, COMMIT and ROLLBACK only move this block between idle
 * ({@code I}), in a block ({@code T}) and failed ({@code E}), which ReadyForQuery reports.
 * As in PostgreSQL, a failed block refuses every statement but the one that ends it (25P02),
 * and its COMMIT is reported as a ROLLBACK. Savepoints are refused: there would be nothing to
 * roll back to.
 */
final class TransactionBlock {
  /** A statement that controls the block. */
  enum Control { BEGIN, COMMIT, ROLLBACK }

  /** What a control statement reports: its tag, and a warning for one that did nothing. */
  record Outcome(String tag, String warningState, String warning) {
  }

  private char status = 'I';

  /** The control statement {@code words} begin, or null for any other statement. */
  static Control control(List<String> words) {
    if (words.isEmpty()) {
      return null;
    }
    String second = words.size() > 1 ? words.get(1) : "";
    return switch (words.get(0)) {
      case "BEGIN" -> Control.BEGIN;
      case "START" -> second.equals("TRANSACTION") ? Control.BEGIN : null;
      case "COMMIT", "END" -> second.equals("PREPARED") ? null : Control.COMMIT;
      case "ROLLBACK", "ABORT" -> {
        if (second.equals("TO") || second.equals("PREPARED")
            || words.size() > 2 && words.get(2).equals("TO")) {
          throw savepoints();
        }
        yield Control.ROLLBACK;
      }
      case "SAVEPOINT", "RELEASE" -> throw savepoints();
      default -> null;
    };
  }

  private static QuellException savepoints() {
    return new QuellException(SqlState.FEATURE_NOT_SUPPORTED, "savepoints and prepared "
        + "transactions are not supported: every statement takes effect as it runs");
  }

  /** {@code I}, {@code T} or {@code E}, as ReadyForQuery reports it. */
  char status() {
    return status;
  }

  /** Refuses a statement other than one ending the block while the block is failed. */
  void checkRuns(Control control) {
    if (status == 'E' && control != Control.COMMIT && control != Control.ROLLBACK) {
      throw new QuellException(SqlState.IN_FAILED_SQL_TRANSACTION, "current transaction is "
          + "aborted, commands ignored until end of transaction block");
    }
  }

  /** Runs {@code control}. */
  Outcome apply(Control control) {
    char before = status;
    switch (control) {
      case BEGIN -> {
        status = 'T';
        return before == 'I' ? new Outcome("BEGIN", null, null)
            : new Outcome("BEGIN", "25001", "there is already a transaction in progress");
      }
      case COMMIT -> {
        status = 'I';
        return before == 'I'
            ? new Outcome("COMMIT", "25P01", "there is no transaction in progress")
            : new Outcome(before == 'E' ? "ROLLBACK" : "COMMIT", null, null);
      }
      default -> {
        status = 'I';
        return before == 'I'
            ? new Outcome("ROLLBACK", "25P01", "there is no transaction in progress")
            : new Outcome("ROLLBACK", null, null);
      }
    }
  }

  /** A statement failed: a block fails with it. */
  void failed() {
    if (status == 'T') {
      status = 'E';
    }
  }

  /** Whether a block is open, failed or not: portals then outlive a Sync. */
  boolean open() {
    return status != 'I';
  }
}
