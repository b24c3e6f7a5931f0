package io.quell.cluster;

import io.quell.activity.ConnectionCount;
import io.quell.activity.Viewer;
import io.quell.session.ActivityKind;
import io.quell.session.CancelReason;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Map;

/**
 * What one cluster member asks another, all of it: a few typed calls, each a JSON request
 * POSTed to {@link #PATH}{@code <name>} on the member's HTTP port as the node principal, and a
 * JSON reply. No SQL crosses between members, so a member's answer costs no parsing or planning,
 * and nothing it is asked can be more than these calls. Every reply names in
 * {@link #NODE_HEADER} the node that gave it; a call that fails replies with a
 * {@link Failure}. Ids travel as their text.
 */
final class PeerProtocol {
  /** Below the node's port, beside Avatica's endpoint; the version changes with the calls. */
  static final String PATH = "/_quell/peer/v1/";
  /** The reply header with the node id of the member that answered. */
  static final String NODE_HEADER = "Quell-Node";
  /** {@link Ping} has no fields. */
  static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** One call: its name below {@link #PATH}, and the types of its request and reply. */
  record Call<Q, R>(String name, Class<Q> request, Class<R> reply) {
  }

  /** Whether the member answers, and as which node (the heartbeat, and a start's self-check). */
  static final Call<Ping, Ping> PING = new Call<>("ping", Ping.class, Ping.class);
  /** The rows of a node table that a reader on the calling member may see. */
  static final Call<RowsRequest, Rows> ROWS = new Call<>("rows", RowsRequest.class, Rows.class);
  /** The owners of those of a batch of ids that are live on the member. */
  static final Call<FindRequest, Found> FIND = new Call<>("find", FindRequest.class, Found.class);
  /** Cancels a batch of ids, whose caller the calling member checked and audits. */
  static final Call<CancelRequest, Cancelled> CANCEL =
      new Call<>("cancel", CancelRequest.class, Cancelled.class);
  /** A role's open sessions, for its CONNECTION LIMIT. */
  static final Call<ConnectionsRequest, ConnectionCount> CONNECTIONS =
      new Call<>("connections", ConnectionsRequest.class, ConnectionCount.class);

  record Ping() {
  }

  record RowsRequest(String table, Viewer viewer) {
  }

  /** Each row's values in column order: TIMESTAMP as epoch milliseconds, NULL as null. */
  record Rows(List<List<Object>> rows) {
  }

  record FindRequest(ActivityKind kind, List<String> ids) {
  }

  /** The owner of each id found, by id. */
  record Found(Map<String, String> owners) {
  }

  /** {@code caller} is who asked on the calling member, for this member's log. */
  record CancelRequest(ActivityKind kind, List<String> ids, CancelReason reason,
      String caller) {
  }

  /** The ids cancelled; the others had ended. */
  record Cancelled(List<String> ids) {
  }

  record ConnectionsRequest(String role) {
  }

  /** A call that failed: the SQLSTATE, and the message. */
  record Failure(String sqlstate, String message) {
  }

  private PeerProtocol() {
  }
}
