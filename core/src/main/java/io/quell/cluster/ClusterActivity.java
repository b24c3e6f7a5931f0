package io.quell.cluster;

import io.quell.activity.ActivityDirectory;
import io.quell.activity.MemberStatus;
import io.quell.activity.Peers;
import io.quell.client.SqlState;
import io.quell.engine.SystemSchema;
import io.quell.error.QuellException;
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
import java.util.Set;
import java.util.TimeZone;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The other members of this node's cluster: their node tables, read in parallel within a
 * deadline, and their sessions and queries for the cancel route ({@link PeerActivities}).
 * Rows come back as the peers have them, unfiltered; who may see them is decided by the caller
 * on this node, so that visibility and redaction do not depend on the node asked. Every member
 * is asked who it is every {@link #HEARTBEAT}, so that one that stops answering shows in
 * {@code cluster_members} (and in the log) within about that time, whether or not anyone
 * reads its rows.
 */
public final class ClusterActivity implements Peers, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterActivity.class);
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /**
   * How long a starting node waits for itself to answer as a peer: its first statements plan
   * on a cold JVM, which may take longer than the peer deadline on a loaded machine.
   */
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(1);

  private final ClusterMembership membership;
  private final MemberStates states;
  private final PeerClient peers;
  private final Duration deadline;
  private final PeerActivities activities;
  /** The last failed call of each member, until it answers again. */
  private final Map<Long, MemberStatus.Failure> failures = new ConcurrentHashMap<>();
  /** The members whose heartbeat has not come back yet, which are not asked again till then. */
  private final Set<Long> beating = ConcurrentHashMap.newKeySet();
  private final ExecutorService fanOut = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quell-cluster-fan-out");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quell-cluster-heartbeat");
        t.setDaemon(true);
        return t;
      });

  private ClusterActivity(ClusterMembership membership, MemberStates states, PeerClient peers,
      Duration deadline) {
    this.membership = membership;
    this.states = states;
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
    MemberStates states = new MemberStates();
    ClusterMembership membership = ClusterMembership.join(config, states);
    return new ClusterActivity(membership, states,
        new PeerClient(config.secret(), serialization, config.peerDeadline(), trust),
        config.peerDeadline());
  }

  /**
   * Publishes {@code address} as this node's once the node answers there as its peers will
   * ask it, and starts the heartbeat. Until then the others list it as starting and never wait
   * for it. Fails with 08001 if the node cannot be reached at {@code address}, or answers there
   * as another node.
   */
  public void ready(String address) {
    try (PeerClient self = peers.withTimeout(READY_TIMEOUT)) {
      self.call(address, c -> answeringNode(c, nodeId(), address));
      for (String table : List.of(SystemSchema.NODE_SESSIONS, SystemSchema.NODE_QUERIES)) {
        self.call(address, c -> rows(c, PeerRequests.allRows(table), nodeId(), address));
      }
    } catch (QuellException e) {
      throw new QuellException(SqlState.CANNOT_CONNECT, "node " + nodeId() + " cannot be "
          + "reached as itself at its advertised address " + address + ", as its peers would "
          + "call it (see --advertise-address): " + e.getMessage(), e);
    }
    membership.publish(address);
    long period = HEARTBEAT.toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  /** Asks every published member, but those whose last heartbeat is still out, who it is. */
  private void beat() {
    membership.peers().forEach((id, address) -> {
      if (beating.add(id)) {
        fanOut.submit(() -> {
          try {
            peers.call(address, c -> answeringNode(c, id, address));
            answered(id);
          } catch (RuntimeException e) {
            failed(id, Throwables.getCausalChain(e).stream()
                .anyMatch(SocketTimeoutException.class::isInstance) ? silence()
                : e.getMessage());
          } finally {
            beating.remove(id);
          }
        });
      }
    });
  }

  /**
   * The id of the node that answers at {@code address}, which must be {@code member}: an
   * address that reaches another node (a member that advertised a loopback or shared address)
   * would otherwise show that node's rows twice.
   */
  private static long answeringNode(Connection connection, long member, String address)
      throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(PeerRequests.self())) {
      long answered = rs.next() ? rs.getLong(1) : -1;
      requireMember(answered, member, address);
      return answered;
    }
  }

  private static void requireMember(long answered, long member, String address) {
    if (answered != member) {
      throw new QuellException(SqlState.CONNECTION_FAILURE, "the address " + address
          + " of member " + member + " reaches node " + answered
          + "; give each member its own --advertise-address");
    }
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
        answered(member);
      } catch (TimeoutException e) {
        call.getValue().cancel(true);
        leftOut(member, table, silence());
      } catch (ExecutionException e) {
        // The HTTP read timeout equals the deadline, so either clock may ring first; the member
        // was silent all the same.
        boolean silent = Throwables.getCausalChain(e).stream()
            .anyMatch(SocketTimeoutException.class::isInstance);
        leftOut(member, table, silent ? silence() : e.getCause().getMessage());
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
    LOG.warn("cluster member {} left out of {}: {}", member, table, problem);
    failed(member, problem);
  }

  private void failed(long member, String problem) {
    failures.put(member, new MemberStatus.Failure(Instant.now(), problem));
    states.notAnswering(member, problem);
  }

  private void answered(long member) {
    failures.remove(member);
    states.answered(member);
  }

  /** This node, every other live member (starting ones too) and ZooKeeper. */
  @Override public List<MemberStatus> members() {
    List<MemberStatus> members = new ArrayList<>();
    Instant published = membership.published();
    members.add(new MemberStatus(MemberStatus.Kind.NODE, nodeId(),
        published == null ? null : membership.address(), true,
        draining(nodeId(), published == null ? MemberStates.State.STARTING
            : MemberStates.State.UP).shown(), published, null));
    membership.members().forEach((id, address) -> {
      MemberStates.Observed seen = states.of(id);
      MemberStates.State state = seen != null ? seen.state()
          : address.isEmpty() ? MemberStates.State.STARTING : MemberStates.State.UP;
      members.add(new MemberStatus(MemberStatus.Kind.NODE, id,
          address.isEmpty() ? null : address, false, draining(id, state).shown(),
          seen == null ? null : seen.since(), failures.get(id)));
    });
    ClusterMembership.ZooKeeperState zookeeper = membership.zookeeperState();
    members.add(new MemberStatus(MemberStatus.Kind.ZOOKEEPER, null, membership.zookeeper(),
        false, zookeeper.state(), zookeeper.since(), null));
    return members;
  }

  /** {@code state}, or draining for a member that answers and announced its drain. */
  private MemberStates.State draining(long id, MemberStates.State state) {
    return state == MemberStates.State.UP && membership.isDraining(id)
        ? MemberStates.State.DRAINING : state;
  }

  @Override public void announceDraining() {
    membership.markDraining();
  }

  /**
   * All rows of {@code sql}, TIMESTAMP as epoch milliseconds like the local system tables.
   * Every row must be of {@code member} (see {@link #answeringNode}).
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
        requireMember(rs.getLong(nodeColumn), member, address);
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
    heartbeat.shutdownNow();
    fanOut.shutdownNow();
    peers.close();
    membership.close();
  }
}
