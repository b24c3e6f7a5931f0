package io.quell.server.login;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quell.catalog.UserCatalog;

import com.google.common.base.Ticker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A password in use is checked with the KDF once, not again every minute; one unused for a
 * minute is checked again.
 */
class CredentialCacheTest {
  @TempDir Path dir;

  @Test void aPasswordInUseStaysRememberedAndAnUnusedOneExpires() {
    AtomicLong now = new AtomicLong();
    Ticker clock = new Ticker() {
      @Override public long read() {
        return now.get();
      }
    };
    try (UserCatalog catalog = UserCatalog.open(dir)) {
      catalog.roles().bootstrap("root-pw");
      CredentialCache cache = new CredentialCache(catalog, clock);
      assertEquals(Optional.empty(), cache.remembered("root", "root-pw"));
      assertEquals(LoginOutcome.ACCEPTED, cache.verify("root", "root-pw"));
      // Used every 40 s for five minutes: never checked again.
      for (int i = 0; i < 8; i++) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(40));
        assertEquals(Optional.of(LoginOutcome.ACCEPTED), cache.remembered("root", "root-pw"),
            "after " + (i + 1) * 40 + " s");
      }
      now.addAndGet(TimeUnit.SECONDS.toNanos(61));
      assertEquals(Optional.empty(), cache.remembered("root", "root-pw"));
    }
  }
}
