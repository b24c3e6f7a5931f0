package io.quell.cluster;

import io.quell.activity.ActivityDirectory;
import io.quell.activity.ConnectionCount;
import io.quell.activity.MemberStatus;
import io.quell.activity.Peers;
import io.quell.activity.Viewer;
import io.quell.client.SqlState;
import io.quell.engine.SystemSchema;
import io.quell.error.QuellException;

import org.apache.calcite.sql.type.SqlTypeName;

import com.google.common.base.Throwables;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * The other members of this node's cluster: their node tables and session counts, asked in
 * parallel within a deadline, and their sessions and queries for the cancel route
 * ({@link PeerActivities}). Each member filters and redacts its rows for the reader here by
 * the rule it applies to its own readers, so that rows a reader may not see never leave their
 * member. Every member is pinged every {@link #HEARTBEAT}, so that one that stops answering
 * shows in {@code cluster_members} (and in the log) within about that time, whether or not
 * anyone reads its rows.
 */
public final class ClusterActivity implements Peers, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterActivity.class);
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /**
   * How long a starting node waits for itself to answer as a peer: its first calls run
   * through a cold JVM, which may take longer than the peer deadline on a loaded machine.
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
   * Joins the cluster of {@code config}; peers are called over HTTPS trusting {@code trust},
   * or over plain HTTP if it is null. Every member of a cluster speaks the same: TLS members
   * with TLS members, plain with plain.
   */
  public static ClusterActivity join(ClusterConfig config, PeerTrust trust) {
    MemberStates states = new MemberStates();
    ClusterMembership membership = ClusterMembership.join(config, states);
    return new ClusterActivity(membership, states,
        new PeerClient(config.secret(), config.peerDeadline(), trust), config.peerDeadline());
  }

  /**
   * Publishes {@code address} as this node's once the node answers there as its peers will
   * ask it, and starts the heartbeat. Until then the others list it as starting and never wait
   * for it. Fails with 08001 if the node cannot be reached at {@code address}, or answers there
   * as another node.
   */
  public void ready(String address) {
    PeerClient self = peers.withTimeout(READY_TIMEOUT);
    try {
      self.call(nodeId(), address, PeerProtocol.PING, new PeerProtocol.Ping());
      // The calls its peers make most, once, so that their first comes to a warm node.
      Viewer nobody = new Viewer("", false, false, false);
      for (String table : List.of(SystemSchema.NODE_SESSIONS, SystemSchema.NODE_QUERIES)) {
        self.call(nodeId(), address, PeerProtocol.ROWS,
            new PeerProtocol.RowsRequest(table, nobody));
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

  /** Pings every published member but those whose last ping is still out. */
  private void beat() {
    membership.peers().forEach((id, address) -> {
      if (beating.add(id)) {
        fanOut.submit(() -> {
          try {
            peers.call(id, address, PeerProtocol.PING, new PeerProtocol.Ping());
            answered(id);
          } catch (RuntimeException e) {
            failed(id, isSilence(e) ? silence() : e.getMessage());
          } finally {
            beating.remove(id);
          }
        });
      }
    });
  }

  /** Whether {@code e} is the peer timeout running out. */
  private static boolean isSilence(Throwable e) {
    return Throwables.getCausalChain(e).stream()
        .anyMatch(HttpTimeoutException.class::isInstance);
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

  @Override public List<Object[]> rows(String table, Viewer viewer) {
    List<SqlTypeName> types = SystemSchema.nodeColumnTypes(table);
    PeerProtocol.RowsRequest request = new PeerProtocol.RowsRequest(table, viewer);
    List<Object[]> rows = new ArrayList<>();
    fanOut(table, (member, address) -> peers.call(member, address, PeerProtocol.ROWS, request))
        .forEach(reply -> reply.rows().forEach(values -> rows.add(typed(values, types))));
    return rows;
  }

  @Override public ConnectionCount connections(String role) {
    PeerProtocol.ConnectionsRequest request = new PeerProtocol.ConnectionsRequest(role);
    return fanOut("the sessions of role " + role, (member, address) ->
            peers.call(member, address, PeerProtocol.CONNECTIONS, request)).stream()
        .reduce(ConnectionCount.NONE, ConnectionCount::plus);
  }

  /**
   * {@code values} as the engine holds a row of a table with columns of {@code types}: JSON
   * numbers come back as whatever Java type fits them, so INTEGER, BIGINT, TIMESTAMP (epoch
   * milliseconds) and DOUBLE are made the engine's Integer, Long, Long and Double again.
   */
  private static Object[] typed(List<Object> values, List<SqlTypeName> types) {
    Object[] row = new Object[types.size()];
    for (int i = 0; i < row.length; i++) {
      Object value = values.get(i);
      row[i] = !(value instanceof Number number) ? value : switch (types.get(i)) {
        case INTEGER -> number.intValue();
        case BIGINT, TIMESTAMP -> number.longValue();
        case DOUBLE -> number.doubleValue();
        default -> throw new QuellException(SqlState.PROTOCOL_VIOLATION,
            "a number in a peer's column of type " + types.get(i));
      };
    }
    return row;
  }

  /**
   * The replies of {@code call} of every published member, asked in parallel; a member that
   * fails or does not answer within the deadline is left out of {@code what}, and logged.
   */
  private <T> List<T> fanOut(String what, BiFunction<Long, String, T> call) {
    Map<Long, Future<T>> calls = new LinkedHashMap<>();
    membership.peers().forEach((id, address) ->
        calls.put(id, fanOut.submit(() -> call.apply(id, address))));
    long end = System.nanoTime() + deadline.toNanos();
    List<T> replies = new ArrayList<>();
    for (Map.Entry<Long, Future<T>> pending : calls.entrySet()) {
      long member = pending.getKey();
      try {
        replies.add(pending.getValue().get(Math.max(0, end - System.nanoTime()),
            TimeUnit.NANOSECONDS));
        answered(member);
      } catch (TimeoutException e) {
        pending.getValue().cancel(true);
        leftOut(member, what, silence());
      } catch (ExecutionException e) {
        // The HTTP timeout equals the deadline, so either clock may ring first; the member
        // was silent all the same.
        leftOut(member, what, isSilence(e) ? silence() : e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QuellException(SqlState.QUERY_CANCELED,
            "canceling statement due to user request");
      }
    }
    return replies;
  }

  private String silence() {
    return "did not answer within " + deadline.toMillis() + " ms";
  }

  /** Logs and remembers a member whose reply a fan-out had to leave out of {@code what}. */
  private void leftOut(long member, String what, String problem) {
    LOG.warn("cluster member {} left out of {}: {}", member, what, problem);
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

  /** Stops calling the peers and leaves the cluster. */
  @Override public void close() {
    heartbeat.shutdownNow();
    fanOut.shutdownNow();
    membership.close();
  }
}
