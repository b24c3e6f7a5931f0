package io.quell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The console stays fast with 10,000 sessions: filtering, sorting and paging run in the
 * engine, so each poll of the page sends one page over HTTP, not every session.
 */
@Timeout(600)
class ConsoleScaleTest {
  private static final int SESSIONS = 10_000;
  private static final int POLLS = 20;

  @TempDir Path dir;

  @Test void aPageOfTenThousandSessionsIsServedQuickly() throws Exception {
    List<Connection> open = new ArrayList<>(SESSIONS);
    try (ServerFixture f = new ServerFixture(dir)) {
      try (Connection root = f.root(); Statement s = root.createStatement()) {
        s.executeUpdate("CREATE USER alice WITH PASSWORD 'alice-pw'");
      }
      try {
        for (int i = 0; i < SESSIONS; i++) {
          Properties props = new Properties();
          props.setProperty("applicationName", "app-" + (i % 100) + "/");
          open.add(f.server.node().connect(i % 2 == 0 ? "alice" : "root", props));
        }
        ConsoleClient root = ConsoleClient.basic(f.server.port(), "root",
            ServerFixture.ROOT_PASSWORD);
        String[] pages = {"api/sessions?limit=50", "api/sessions?limit=50&offset=5000"
            + "&sort=user_name&order=desc", "api/sessions?application=app-7/&limit=50",
            "api/sessions?user=alice&status=IDLE&limit=50"};
        for (String page : pages) {
          root.get(page); // warm: each shape plans once
        }
        long[] millis = new long[POLLS];
        for (int i = 0; i < POLLS; i++) {
          long start = System.nanoTime();
          ConsoleClient.Reply reply = root.get(pages[i % pages.length]);
          millis[i] = (System.nanoTime() - start) / 1_000_000;
          assertEquals(200, reply.status(), reply.json().toString());
          assertEquals(50, reply.rows().size());
        }
        assertTrue(root.get(pages[0]).json().path("total").asInt() >= SESSIONS);
        assertEquals(100, root.get("api/sessions?application=app-7/&limit=1").json()
            .path("total").asInt());
        Arrays.sort(millis);
        long median = millis[POLLS / 2];
        System.out.printf("console page of %,d sessions: median %d ms, max %d ms%n", SESSIONS,
            median, millis[POLLS - 1]);
        // The page polls once a second; a loaded machine gets a generous margin.
        assertTrue(median < 1000, "median " + median + " ms per page");
      } finally {
        for (Connection c : open) {
          try {
            c.close();
          } catch (SQLException ignored) {
            // the server is stopping anyway
          }
        }
      }
    }
  }
}
