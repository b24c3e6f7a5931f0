package io.quell.cluster;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's membership of a cluster in ZooKeeper. The node id is claimed by creating the
 * ephemeral znode {@code /quell/<cluster>/members/<id>}, empty while the node starts; its data
 * becomes the address peers reach the node at once the node answers there. ZooKeeper deletes it
 * when the node stops or its session expires, which is how a dead node leaves. After a lost
 * session the node re-creates its znode on reconnection. The live members are watched into a
 * local cache, so that listing them costs no ZooKeeper round trip and still works, with the
 * last known members, while ZooKeeper is unreachable; every change of a member and of the
 * connection to ZooKeeper is logged to {@link MemberStates#EVENTS}. A member that drains says
 * so with a second ephemeral znode, {@code /quell/<cluster>/draining/<id>}, watched the same way.
 */
public final class ClusterMembership implements AutoCloseable {
  private static final long MAX_NODE_ID = Integer.MAX_VALUE;

  private final CuratorFramework client;
  private final String zookeeper;
  private final String members;
  private final long nodeId;
  private final String draining;
  private final CuratorCache cache;
  private final CuratorCache drainingCache;
  private volatile byte[] address = new byte[0];
  private volatile Instant published;
  private volatile ZooKeeperState zookeeperState = new ZooKeeperState("connected", Instant.now());
  private volatile boolean drainingSelf;
  private volatile boolean closed;

  /** The connection to ZooKeeper as {@code cluster_members} shows it, and since when. */
  public record ZooKeeperState(String state, Instant since) {
  }

  private ClusterMembership(CuratorFramework client, String zookeeper, String members,
      String draining, long nodeId) {
    this.client = client;
    this.zookeeper = zookeeper;
    this.members = members;
    this.draining = draining;
    this.nodeId = nodeId;
    this.cache = CuratorCache.build(client, members);
    this.drainingCache = CuratorCache.build(client, draining);
  }

  /**
   * Connects to ZooKeeper and claims {@code config.requestedNodeId()}, or the lowest free id
   * if that is 0; the other members' comings and goings are reported to {@code states}. Fails
   * with 55006 if the requested id is taken and 08001 if ZooKeeper cannot be reached within the
   * session timeout.
   */
  static ClusterMembership join(ClusterConfig config, MemberStates states) {
    int timeoutMs = (int) config.sessionTimeout().toMillis();
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(config.zookeeper())
        .sessionTimeoutMs(timeoutMs)
        .connectionTimeoutMs(Math.min(timeoutMs, 15_000))
        .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000))
        .build();
    client.start();
    try {
      if (!client.blockUntilConnected(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new QuellException(SqlState.CANNOT_CONNECT, "cannot reach ZooKeeper at " + config.zookeeper());
      }
      String members = "/quell/" + config.name() + "/members";
      String draining = "/quell/" + config.name() + "/draining";
      client.createContainers(members);
      client.createContainers(draining);
      long id = claim(client, members, config.requestedNodeId());
      ClusterMembership membership =
          new ClusterMembership(client, config.zookeeper(), members, draining, id);
      membership.watch(states);
      membership.cache.start();
      membership.drainingCache.start();
      client.getConnectionStateListenable().addListener((c, state) -> {
        membership.zookeeperChanged(state, config.sessionTimeout());
        if (state == ConnectionState.RECONNECTED) {
          membership.reregister();
        }
      });
      return membership;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new QuellException(SqlState.CONNECTION_EXCEPTION, "interrupted joining the cluster");
    } catch (RuntimeException e) {
      client.close();
      throw e;
    } catch (Exception e) {
      client.close();
      throw new QuellException(SqlState.CANNOT_CONNECT,
          "cannot join the cluster through ZooKeeper: " + e.getMessage(), e);
    }
  }

  private static long claim(CuratorFramework client, String members, long requested)
      throws Exception {
    if (requested > 0) {
      if (!create(client, members + "/" + requested, new byte[0])) {
        throw new QuellException(SqlState.OBJECT_IN_USE, "node id " + requested
            + " is taken by a live member of this cluster; choose another --node-id or omit it");
      }
      return requested;
    }
    for (long id = 1; id <= MAX_NODE_ID; id++) {
      if (create(client, members + "/" + id, new byte[0])) {
        return id;
      }
    }
    throw new QuellException(SqlState.OBJECT_IN_USE, "no free node id in the cluster");
  }

  /** Creates an ephemeral znode; false if it exists. */
  private static boolean create(CuratorFramework client, String path, byte[] data)
      throws Exception {
    try {
      client.create().withMode(CreateMode.EPHEMERAL).forPath(path, data);
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return false;
    }
  }

  /** Reports every other member's znode, as it appears, changes and goes, to {@code states}. */
  private void watch(MemberStates states) {
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forCreatesAndChanges((before, member) -> {
          Long id = memberId(member);
          if (id != null && id != nodeId) {
            String published = address(member);
            if (published.isEmpty()) {
              states.starting(id);
            } else {
              states.published(id, published);
            }
          }
        })
        .forDeletes(member -> {
          Long id = memberId(member);
          if (id != null && id != nodeId) {
            states.left(id);
          }
        })
        .build());
  }

  /** Keeps and logs the state of the connection to ZooKeeper. */
  private void zookeeperChanged(ConnectionState state, Duration sessionTimeout) {
    String shown = switch (state) {
      case CONNECTED, RECONNECTED -> "connected";
      case SUSPENDED -> "suspended";
      case LOST -> "lost";
      case READ_ONLY -> "read only";
    };
    if (closed || shown.equals(zookeeperState.state())) {
      return;
    }
    zookeeperState = new ZooKeeperState(shown, Instant.now());
    switch (state) {
      case SUSPENDED -> MemberStates.EVENTS.warn("ZooKeeper at {} is unreachable: members are "
          + "listed as last seen; this node's session expires unless it is back within {} s",
          zookeeper, sessionTimeout.toSeconds());
      case LOST -> MemberStates.EVENTS.warn("ZooKeeper session of node {} lost: the others no "
          + "longer list it; it registers again once ZooKeeper at {} is back", nodeId, zookeeper);
      default -> MemberStates.EVENTS.warn("ZooKeeper at {} is {} again", zookeeper, shown);
    }
  }

  public long nodeId() {
    return nodeId;
  }

  /** The connection to ZooKeeper, and since when it is in that state. */
  public ZooKeeperState zookeeperState() {
    return zookeeperState;
  }

  /** The ZooKeeper ensemble, as given. */
  public String zookeeper() {
    return zookeeper;
  }

  /**
   * Publishes {@code hostPort}, at which peers reach this node, now that it answers there;
   * until then peers list the node as starting and do not call it.
   */
  void publish(String hostPort) {
    address = hostPort.getBytes(StandardCharsets.UTF_8);
    try {
      client.setData().forPath(path(), address);
      published = Instant.now();
    } catch (Exception e) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION,
          "cannot publish this node's address in ZooKeeper: " + e.getMessage(), e);
    }
    MemberStates.EVENTS.warn("node {} joined the cluster at {}", nodeId, hostPort);
  }

  /** The address this node advertises to its peers; empty until {@link #publish}. */
  public String address() {
    return new String(address, StandardCharsets.UTF_8);
  }

  /** Tells the other members that this node drains, for as long as it is a member. */
  public void markDraining() {
    drainingSelf = true;
    try {
      create(client, drainingPath(), new byte[0]);
    } catch (Exception e) {
      MemberStates.EVENTS.warn("node {} could not announce its drain in ZooKeeper: {}", nodeId, e.toString());
    }
  }

  /** Whether member {@code id} announced that it drains. */
  public boolean isDraining(long id) {
    return id == nodeId ? drainingSelf
        : drainingCache.get(draining + "/" + id).isPresent();
  }

  /** When this node published its address; null while it starts. */
  Instant published() {
    return published;
  }

  /** Addresses of the live members other than this node that answer, by node id. */
  public Map<Long, String> peers() {
    Map<Long, String> peers = new TreeMap<>(members());
    peers.values().removeIf(String::isEmpty);
    return peers;
  }

  /**
   * The live members other than this node, by node id, with their addresses, empty for one
   * that is starting.
   */
  Map<Long, String> members() {
    Map<Long, String> all = new TreeMap<>();
    cache.stream().forEach(child -> {
      Long id = memberId(child);
      if (id != null && id != nodeId) {
        all.put(id, address(child));
      }
    });
    return all;
  }

  /** The node id of a member znode; null for the members znode itself. */
  private Long memberId(ChildData child) {
    String prefix = members + "/";
    return child.getPath().startsWith(prefix)
        ? Long.parseLong(child.getPath().substring(prefix.length())) : null;
  }

  private static String address(ChildData member) {
    return member.getData() == null ? ""
        : new String(member.getData(), StandardCharsets.UTF_8);
  }

  /**
   * After a reconnection the znode may be gone with an expired session, or still be held by the
   * old session, which ZooKeeper restored after its restart but will expire: in both cases it is
   * created again under the current session.
   */
  private synchronized void reregister() {
    if (closed) {
      return;
    }
    try {
      long session = client.getZookeeperClient().getZooKeeper().getSessionId();
      Stat stat = client.checkExists().forPath(path());
      if (stat != null && stat.getEphemeralOwner() == session) {
        client.setData().forPath(path(), address);
        return;
      }
      if (stat != null) {
        client.delete().withVersion(stat.getVersion()).forPath(path());
      }
      if (create(client, path(), address)) {
        MemberStates.EVENTS.warn("node {} registered again after a ZooKeeper reconnection",
            nodeId);
        if (drainingSelf) {
          create(client, drainingPath(), new byte[0]);
        }
      } else {
        MemberStates.EVENTS.warn("node {}: another member took its id while ZooKeeper was "
            + "unreachable", nodeId);
      }
    } catch (Exception e) {
      MemberStates.EVENTS.warn("node {} could not register again in ZooKeeper: {}", nodeId,
          e.toString());
    }
  }

  private String path() {
    return members + "/" + nodeId;
  }

  private String drainingPath() {
    return draining + "/" + nodeId;
  }

  /** Leaves the cluster: the member znode goes with the session. */
  @Override public void close() {
    closed = true;
    drainingCache.close();
    cache.close();
    client.close();
  }
}
