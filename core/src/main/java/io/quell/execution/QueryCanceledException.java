package io.quell.execution;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

/** Thrown inside a running query's operators when its cancel flag is up: SQLSTATE 57014. */
public final class QueryCanceledException extends QuellException {
  public QueryCanceledException() {
    super(SqlState.QUERY_CANCELED, "query execution canceled");
  }
}
