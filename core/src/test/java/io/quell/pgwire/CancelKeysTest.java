package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.frontend.QuellNode;
import io.quell.session.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CancelRequest keys: the right key cancels the session's running query, wrong ones do
 * nothing, and wrong ones spend a budget per address and overall past which requests are not
 * even checked, so that guessing a 32-bit secret takes years.
 */
@Timeout(60)
class CancelKeysTest {
  @TempDir Path dir;

  @Test void wrongKeysAreRateLimitedPerAddressAndOverall() throws Exception {
    try (QuellNode node = QuellNode.start(EngineConfig.builder().dataDir(dir)
        .rootPassword("pw").scaleFactor(0.01).build());
         Connection c = node.connect("root", new Properties());
         Statement s = c.createStatement()) {
      Session session = node.session(c).orElseThrow();
      AtomicLong now = new AtomicLong();
      CancelKeys keys = new CancelKeys(node.engine(), now::get);
      int secret = keys.register(session);
      CompletableFuture<SQLException> query = CompletableFuture.supplyAsync(() -> {
        try {
          s.execute("SELECT pg_sleep(20)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      while (session.activeQuery() == null) {
        Thread.sleep(10);
      }
      // One address spends its burst on wrong keys: the right key is then not even checked.
      for (int i = 0; i < CancelKeys.ADDRESS_BURST; i++) {
        assertFalse(keys.cancel(session.pid(), secret + 1 + i, "10.0.0.1"));
      }
      assertFalse(keys.cancel(session.pid(), secret, "10.0.0.1"));
      assertFalse(query.isDone());
      // Other addresses spend what is left of the overall budget.
      int spent = CancelKeys.ADDRESS_BURST;
      for (int a = 2; spent < CancelKeys.GLOBAL_BURST; a++) {
        assertFalse(keys.cancel(session.pid(), secret - 1, "10.0.0." + a));
        spent++;
      }
      assertFalse(keys.cancel(session.pid(), secret, "10.0.1.1"));
      assertFalse(keys.cancel(session.pid() + 1, secret, "10.0.1.1"));
      assertFalse(query.isDone());
      // A second later the overall budget has refilled enough for an honest client.
      now.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertTrue(keys.cancel(session.pid(), secret, "10.0.1.1"));
      assertEquals("57014", query.get(10, TimeUnit.SECONDS).getSQLState());
      keys.unregister(session);
      assertFalse(keys.cancel(session.pid(), secret, "10.0.1.2"));
    }
  }
}
