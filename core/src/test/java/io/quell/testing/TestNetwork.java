package io.quell.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * by the next one (names carry the JVM's pid). Where namespaces cannot be made (no
 * CAP_NET_ADMIN, as in an unprivileged container) the calling test is skipped, saying why on
 * its output; a missing {@code ip} fails it on CI (the CI variable set), where .ci/run
 * installs iproute2.
 */
public final class TestNetwork implements AutoCloseable {
  private static final String NAMESPACE_PREFIX = "quell-part-";
  private static final Pattern OWNED_NAMESPACE =
      Pattern.compile(NAMESPACE_PREFIX + "(\\d+)-\\w+-\\d+");
  /** A link of {@code ip -o link}: qp, the pid, '-', the network, the role and member. */
  private static final Pattern OWNED_LINK = Pattern.compile("\\d+: (qp(\\d+)-\\w+)[@:]");
  /** The networks this JVM made, so that each has names of its own. */
  private static final AtomicInteger NETWORKS = new AtomicInteger();
  private static final long COMMAND_SECONDS = 20;
  /** The members' host numbers on both networks: member i is .(FIRST_HOST + i). */
  private static final int FIRST_HOST = 11;

  private final long pid = ProcessHandle.current().pid();
  /** One base-36 digit: a JVM makes its networks one after the other, each gone before long. */
  private final String network = Integer.toString(NETWORKS.getAndIncrement() % 36, 36);
  private final int clusterSubnet;
  private final int members;
  /** What exists, so that close removes exactly that, also after a failed create. */
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> links = new ArrayList<>();

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

  /**
   * Removes the links and the namespaces. The veth pairs are deleted one by one (which takes
   * both ends) rather than left to go with their namespaces: a namespace outlives its name
   * while sockets of its killed processes still retransmit over a link that was cut (found
   * here), and its veths with it.
   */
  @Override public void close() {
    for (String link : links) {
      quietly("link", "delete", link);
    }
    for (String namespace : namespaces) {
      quietly("netns", "delete", namespace);
    }
    links.clear();
    namespaces.clear();
  }

  /** The first namespace, made alone: whether namespaces can be made here at all. */
  private void probe() throws IOException, InterruptedException {
    String namespace = namespace(0);
    Result made = run(List.of("ip", "netns", "add", namespace));
    if (made.exitCode() != 0) {
      String message = "network namespaces cannot be made here (ip netns add: "
          + made.output().strip() + "); partition tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN): skipped";
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
    links.add(name);
    ip("addr", "add", address(subnet, 1).getHostAddress() + "/24", "dev", name);
    ip("link", "set", name, "up");
  }

  /** A veth pair: {@code outer} in {@code bridge} here, {@code inner} in member i's namespace. */
  private void link(int i, String outer, String inner, String bridge, String address)
      throws IOException, InterruptedException {
    String namespace = namespace(i);
    ip("link", "add", outer, "type", "veth", "peer", "name", inner, "netns", namespace);
    links.add(0, outer);
    ip("link", "set", outer, "master", bridge, "up");
    ip("-n", namespace, "addr", "add", address + "/24", "dev", inner);
    ip("-n", namespace, "link", "set", inner, "up");
  }

  private String namespace(int i) {
    return NAMESPACE_PREFIX + pid + "-" + network + "-" + i;
  }

  /**
   * Interface names have at most 15 characters: qp, the pid (at most 7 digits), '-', the
   * network, then a role and a member (2 more).
   */
  private String prefix() {
    return "qp" + pid + "-" + network;
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

  /** Namespaces and links of test JVMs that are gone (killed before they could remove them). */
  private static void removeLeftovers() throws IOException, InterruptedException {
    for (String line : run(List.of("ip", "-o", "link")).output().split("\n")) {
      Matcher m = OWNED_LINK.matcher(line);
      if (m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
        quietly("link", "delete", m.group(1));
      }
    }
    for (String line : run(List.of("ip", "netns", "list")).output().split("\n")) {
      Matcher m = OWNED_NAMESPACE.matcher(line);
      if (m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        quietly("netns", "delete", m.group());
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
