package io.quell.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network namespaces ({@code ip netns}) for member processes, so that a test can cut a member
 * off the network as a real partition would, on addresses of the test's own. Every member
 * namespace has two veth links, each into a bridge of this (the test's) namespace:
 * <ul>
 * <li>{@code cluster}, on the cluster network {@code 10.77.K.0/24}: the members talk to each
 * other over it, and reach what listens on the bridge's own address {@link #hostAddress()}
 * (10.77.K.1), such as ZooKeeper;
 * <li>{@code client}, on the client network {@code 10.77.K+1.0/24}, over which the test's
 * clients reach the member, and the member what listens at {@link #clientHostAddress()}
 * (10.77.K+1.1); no route joins the two networks.
 * </ul>
 * {@link #cut} sets the test's end of a member's cluster link down: the member loses its peers
 * and what it reached on the cluster network, which see it fall silent (packets dropped, not
 * refused), while the test's clients still reach it.
 * <p>
 * Everything is made with plain {@code ip} (Debian's iproute2), each command bounded in time,
 * and removed on {@link #close}; namespaces and links left by a test JVM that died are removed
 * by the next one. Where namespaces cannot be made (no CAP_NET_ADMIN, as in an unprivileged
 * container) the calling test is skipped, saying why on its output; a missing {@code ip} fails
 * it on CI (the CI variable set), where .ci/run installs iproute2.
 */
public final class TestNetwork implements AutoCloseable {
  private static final String NAMESPACE_PREFIX = "quell-part-";
  private static final Pattern OWNED = Pattern.compile(NAMESPACE_PREFIX + "(\\d+)-\\d+");
  private static final long COMMAND_SECONDS = 20;
  /** The members' host numbers on both networks: member i is .(FIRST_HOST + i). */
  private static final int FIRST_HOST = 11;

  private final long pid = ProcessHandle.current().pid();
  private final int clusterSubnet;
  private final int members;
  /** What exists, so that close removes exactly that, also after a failed create. */
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> bridges = new ArrayList<>();

  private TestNetwork(int clusterSubnet, int members) {
    this.clusterSubnet = clusterSubnet;
    this.members = members;
  }

  /**
   * Creates the two networks and {@code members} namespaces on them, or skips the calling
   * test where namespaces cannot be made.
   */
  public static TestNetwork create(int members) throws IOException, InterruptedException {
    requireIp();
    removeLeftovers();
    TestNetwork network = new TestNetwork(freeSubnetPair(), members);
    try {
      network.probe();
      network.build();
      return network;
    } catch (IOException | InterruptedException | RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** The test's address on the cluster network, where ZooKeeper and the catalog listen. */
  public InetAddress hostAddress() {
    return address(clusterSubnet, 1);
  }

  /** The cluster network, as CIDR (for a pg_hba.conf line). */
  public String clusterNetwork() {
    return "10.77." + clusterSubnet + ".0/24";
  }

  /** The test's address on the client network, which a cut leaves reachable. */
  public InetAddress clientHostAddress() {
    return address(clusterSubnet + 1, 1);
  }

  /** The client network, as CIDR (for a pg_hba.conf line). */
  public String clientNetwork() {
    return "10.77." + (clusterSubnet + 1) + ".0/24";
  }

  /** Member {@code i}'s address on the cluster network: its peers call it there. */
  public String clusterAddress(int i) {
    return address(clusterSubnet, FIRST_HOST + i).getHostAddress();
  }

  /** Member {@code i}'s address on the client network: the test's clients connect there. */
  public String clientAddress(int i) {
    return address(clusterSubnet + 1, FIRST_HOST + i).getHostAddress();
  }

  /** The command prefix that runs a program in member {@code i}'s namespace. */
  public List<String> inNamespace(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  /** Cuts member {@code i} from the cluster network; its client link stays up. */
  public void cut(int i) throws IOException, InterruptedException {
    ip("link", "set", clusterLink(i), "down");
  }

  /** Gives member {@code i} its cluster link back. */
  public void restore(int i) throws IOException, InterruptedException {
    ip("link", "set", clusterLink(i), "up");
  }

  /** Removes the namespaces (and with them their veth pairs) and the bridges. */
  @Override public void close() {
    for (String namespace : namespaces) {
      quietly("netns", "delete", namespace);
    }
    for (String bridge : bridges) {
      quietly("link", "delete", bridge);
    }
    namespaces.clear();
    bridges.clear();
  }

  /** The first namespace, made alone: whether namespaces can be made here at all. */
  private void probe() throws IOException, InterruptedException {
    String namespace = namespace(0);
    Result made = run(List.of("ip", "netns", "add", namespace));
    if (made.exitCode() != 0) {
      String message = "network namespaces cannot be made here (ip netns add: "
          + made.output().strip() + "); partition tests need root or CAP_NET_ADMIN: skipped";
      System.out.println("[partition] SKIPPED: " + message);
      Assumptions.abort(message);
    }
    namespaces.add(namespace);
  }

  private void build() throws IOException, InterruptedException {
    String clusterBridge = bridge("c");
    String clientBridge = bridge("k");
    bridge(clusterBridge, clusterSubnet);
    bridge(clientBridge, clusterSubnet + 1);
    for (int i = 0; i < members; i++) {
      String namespace = namespace(i);
      if (i > 0) {
        ip("netns", "add", namespace);
        namespaces.add(namespace);
      }
      ip("-n", namespace, "link", "set", "lo", "up");
      link(i, clusterLink(i), "cluster", clusterBridge, clusterAddress(i));
      link(i, prefix() + "k" + i, "client", clientBridge, clientAddress(i));
    }
  }

  private void bridge(String name, int subnet) throws IOException, InterruptedException {
    ip("link", "add", name, "type", "bridge");
    bridges.add(name);
    ip("addr", "add", address(subnet, 1).getHostAddress() + "/24", "dev", name);
    ip("link", "set", name, "up");
  }

  /** A veth pair: {@code outer} in {@code bridge} here, {@code inner} in member i's namespace. */
  private void link(int i, String outer, String inner, String bridge, String address)
      throws IOException, InterruptedException {
    String namespace = namespace(i);
    ip("link", "add", outer, "type", "veth", "peer", "name", inner, "netns", namespace);
    ip("link", "set", outer, "master", bridge, "up");
    ip("-n", namespace, "addr", "add", address + "/24", "dev", inner);
    ip("-n", namespace, "link", "set", inner, "up");
  }

  private String namespace(int i) {
    return NAMESPACE_PREFIX + pid + "-" + i;
  }

  /** Interface names have at most 15 characters: qp, the pid (at most 7 digits), a role. */
  private String prefix() {
    return "qp" + pid;
  }

  private String bridge(String role) {
    return prefix() + "b" + role;
  }

  private String clusterLink(int i) {
    return prefix() + "c" + i;
  }

  private static InetAddress address(int subnet, int host) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 77, (byte) subnet, (byte) host});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An even K for which neither 10.77.K.0/24 nor 10.77.K+1.0/24 is in use here, starting at
   * one that depends on the pid, so that two test JVMs on one machine choose apart.
   */
  private static int freeSubnetPair() throws IOException, InterruptedException {
    String used = run(List.of("ip", "-4", "addr")).output() + run(List.of("ip", "-4", "route"))
        .output();
    for (int attempt = 0; attempt < 100; attempt++) {
      int k = 2 * (int) ((ProcessHandle.current().pid() + attempt) % 100) + 10;
      if (!used.contains("10.77." + k + ".") && !used.contains("10.77." + (k + 1) + ".")) {
        return k;
      }
    }
    throw new IllegalStateException("no free pair of 10.77.K.0/24 networks:\n" + used);
  }

  /** Namespaces of test JVMs that are gone, and their bridges (the veths went with them). */
  private static void removeLeftovers() throws IOException, InterruptedException {
    for (String line : run(List.of("ip", "netns", "list")).output().split("\n")) {
      Matcher m = OWNED.matcher(line);
      if (m.lookingAt()) {
        long owner = Long.parseLong(m.group(1));
        if (ProcessHandle.of(owner).isEmpty()) {
          quietly("netns", "delete", m.group());
          quietly("link", "delete", "qp" + owner + "bc");
          quietly("link", "delete", "qp" + owner + "bk");
        }
      }
    }
  }

  private static void requireIp() throws InterruptedException {
    try {
      run(List.of("ip", "-V"));
      return;
    } catch (IOException e) {
      // Not installed: skipped, or failed on CI, below.
    }
    String message = "the ip command is not installed; install Debian's iproute2 package";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty()) {
      throw new IllegalStateException(message + ": CI must run the partition tests");
    }
    System.out.println("[partition] SKIPPED: " + message);
    Assumptions.abort(message);
  }

  private static void ip(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    Result result = run(command);
    if (result.exitCode() != 0) {
      throw new IOException("failed (" + result.exitCode() + "): " + String.join(" ", command)
          + "\n" + result.output());
    }
  }

  /** For removal: what is already gone is fine. */
  private static void quietly(String... arguments) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    try {
      run(command);
    } catch (IOException e) {
      // Nothing more to do about it here; the next test JVM removes leftovers.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a command printed (stdout and stderr) and its exit code. */
  private record Result(int exitCode, String output) {
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out after " + COMMAND_SECONDS + " s: "
          + String.join(" ", command));
    }
    return new Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
