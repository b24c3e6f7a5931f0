package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A drained embedded engine, which no server stops afterwards: what the clients of its ended
 * sessions read on their next call, and that a drain is started once however often asked.
 */
class NodeDrainTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(EngineConfig.builder().dataDir(dir).scaleFactor(0.01)
        .drainTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void theClientsOfEndedSessionsReadWhy() throws Exception {
    Connection root = f.connect("root");
    update(root, "CREATE USER alice");
    Connection alice = f.connect("alice");
    assertEquals(List.of(1), column(alice, "SELECT 1"));
    update(root, "DRAIN NODE");
    assertEquals(0, update(root, "DRAIN NODE"), "a second DRAIN NODE is no error");
    f.engine().drain().finished().get(10, TimeUnit.SECONDS);
    for (Connection c : List.of(alice, root)) {
      String msg = failsWith("57P01", () -> column(c, "SELECT 1"));
      assertTrue(msg.contains("session was canceled, message from the canceler: \"node 1 is "
          + "draining\""), msg);
    }
    String refused = failsWith("57P03", () -> f.connect("alice"));
    assertTrue(refused.contains("the node is draining"), refused);
    // Nobody may log in to read it, but the history keeps why they ended.
    assertEquals(List.of("DRAIN", "DRAIN"), f.engine().registry().closedSessions().stream()
        .map(s -> s.cause().endCause()).toList());
  }
}
