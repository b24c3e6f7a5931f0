package io.quell.cluster;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;

/**
 * How a node joins a cluster: the ZooKeeper ensemble, the cluster's name (its namespace in
 * ZooKeeper), the node id it asks for (0 = take the lowest free one), the secret with which
 * members authenticate to each other, the ZooKeeper session timeout (how long a dead member
 * stays listed) and the deadline of a fan-out to the other members.
 */
public record ClusterConfig(String zookeeper, String name, long requestedNodeId, String secret,
    Duration sessionTimeout, Duration peerDeadline) {
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_PEER_DEADLINE = Duration.ofSeconds(2);

  public ClusterConfig {
    checkArgument(zookeeper != null && !zookeeper.isBlank(), "ZooKeeper address is required");
    checkArgument(name != null && name.matches("[A-Za-z0-9_.-]+"),
        "cluster name must be letters, digits, '_', '.' or '-': %s", name);
    checkArgument(requestedNodeId >= 0, "node id must be positive: %s", requestedNodeId);
    checkArgument(secret != null && secret.length() >= 16,
        "the cluster secret must have at least 16 characters");
  }
}
