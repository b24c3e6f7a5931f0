package io.quell.cluster;

import io.quell.error.QuellException;
import io.quell.error.SqlState;
import io.quell.activity.ActivityDirectory;
import io.quell.activity.MemberStatus;
import io.quell.activity.Peers;
import io.quell.engine.SystemSchema;
import io.quell.session.ActivityId;

import org.apache.calcite.avatica.remote.Driver.Serialization;

import com.google.common.base.Throwables;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The other members of this node's cluster: their node tables, read in parallel within a
 * deadline, and their sessions and queries for the cancel route ({@link PeerActivities}).
 * Rows come back as the peers have them, unfiltered; who may see them is decided by the caller
 * on this node, so that visibility and redaction do not depend on the node asked.
 */
public final class ClusterActivity implements Peers, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterActivity.class);
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

  private final ClusterMembership membership;
  private final PeerClient peers;
  private final Duration deadline;
  private final PeerActivities activities;
  /** The last failed fan-out of each member, until it answers again. */
  private final Map<Long, MemberStatus.Failure> failures = new ConcurrentHashMap<>();
  private final ExecutorService fanOut = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quell-cluster-fan-out");
    t.setDaemon(true);
    return t;
  });

  private ClusterActivity(ClusterMembership membership, PeerClient peers, Duration deadline) {
    this.membership = membership;
    this.peers = peers;
    this.deadline = deadline;
    this.activities = new PeerActivities(membership, peers);
  }

  /**
   * Joins the cluster of {@code config}; peers are called with {@code serialization}, over
   * HTTPS trusting {@code trust}, or over plain HTTP if it is null. Every member of a cluster
   * speaks the same: TLS members with TLS members, plain with plain.
   */
  public static ClusterActivity join(ClusterConfig config, Serialization serialization,
      PeerTrust trust) {
    ClusterMembership membership = ClusterMembership.join(config);
    return new ClusterActivity(membership,
        new PeerClient(config.secret(), serialization, config.peerDeadline(), trust),
        config.peerDeadline());
  }

  public long nodeId() {
    return membership.nodeId();
  }

  public ClusterMembership membership() {
    return membership;
  }

  /** A member that fails or does not answer within the deadline is also logged as a warning. */
  @Override public ActivityDirectory activities() {
    return activities;
  }

  @Override public List<Object[]> rows(String table) {
    String sql = PeerRequests.allRows(table);
    Map<Long, Future<List<Object[]>>> calls = new LinkedHashMap<>();
    membership.peers().forEach((id, address) -> calls.put(id,
        fanOut.submit(() -> peers.call(address, c -> rows(c, sql, id, address)))));
    long end = System.nanoTime() + deadline.toNanos();
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<Long, Future<List<Object[]>>> call : calls.entrySet()) {
      long member = call.getKey();
      try {
        rows.addAll(call.getValue().get(Math.max(0, end - System.nanoTime()),
            TimeUnit.NANOSECONDS));
        failures.remove(member);
      } catch (TimeoutException e) {
        call.getValue().cancel(true);
        leftOut(member, table, silence());
      } catch (ExecutionException e) {
        // The HTTP read timeout equals the deadline, so either clock may ring first; the member
        // was silent all the same.
        boolean silent = Throwables.getCausalChain(e).stream()
            .anyMatch(SocketTimeoutException.class::isInstance);
        leftOut(member, table, silent ? silence() : "failed: " + e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QuellException(SqlState.QUERY_CANCELED,
            "canceling statement due to user request");
      }
    }
    return rows;
  }

  private String silence() {
    return "did not answer within " + deadline.toMillis() + " ms";
  }

  /** Logs and remembers a member whose rows a fan-out had to leave out. */
  private void leftOut(long member, String table, String problem) {
    LOG.warn("cluster member {} {}; its {} are left out", member, problem, table);
    failures.put(member, new MemberStatus.Failure(Instant.now(), problem));
  }

  @Override public List<MemberStatus> members() {
    List<MemberStatus> members = new ArrayList<>();
    members.add(new MemberStatus(nodeId(), membership.address(), true,
        membership.isDraining(nodeId()), null));
    membership.peers().forEach((id, address) -> members.add(new MemberStatus(id, address, false,
        membership.isDraining(id), failures.get(id))));
    return members;
  }

  @Override public void announceDraining() {
    membership.markDraining();
  }

  /**
   * All rows of {@code sql}, TIMESTAMP as epoch milliseconds like the local system tables.
   * Every row must be of {@code member}: an address that reaches another node (a member that
   * advertised a loopback or shared address) would otherwise show that node's rows twice.
   */
  private static List<Object[]> rows(Connection connection, String sql, long member,
      String address) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData metaData = rs.getMetaData();
      int n = metaData.getColumnCount();
      int nodeColumn = rs.findColumn(SystemSchema.NODE_ID);
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        long answered = rs.getLong(nodeColumn);
        if (answered != member) {
          throw new QuellException(SqlState.CONNECTION_FAILURE, "the address " + address
              + " of member " + member + " reaches node " + answered
              + "; give each member its own --advertise-address");
        }
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          if (metaData.getColumnType(i + 1) == Types.TIMESTAMP) {
            Timestamp t = rs.getTimestamp(i + 1, (Calendar) UTC.clone());
            row[i] = t == null ? null : t.getTime();
          } else {
            row[i] = rs.getObject(i + 1);
          }
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** Leaves the cluster and closes the connections to peers. */
  @Override public void close() {
    fanOut.shutdownNow();
    peers.close();
    membership.close();
  }
}
