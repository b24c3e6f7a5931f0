package io.quell.engine;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.testing.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Text in any script: literals, application names and query text beyond Latin-1 are stored,
 * shown and compared as written (Calcite alone types literals in ISO-8859-1 and fails the
 * statement with an internal error).
 */
class CharacterSetTest {
  private static final String APP = "Grüße 日本 😀";

  @TempDir Path dir;
  EngineFixture f;
  Connection root;

  @BeforeEach void start() throws Exception {
    f = new EngineFixture(dir, 0.01);
    root = f.connect("root", APP);
  }

  @AfterEach void stop() {
    f.close();
  }

  @Test void literalsInAnyScript() throws Exception {
    assertEquals(List.of("日本"), column(root, "SELECT '日本'"));
    assertEquals(List.of("😀"), column(root, "SELECT '😀'"));
    assertEquals(List.of("日"), column(root, "SELECT U&'\\65E5'"));
    assertEquals(List.of(true), column(root, "SELECT '日本' || '語' = '日本語'"));
    assertEquals(List.of(3), column(root, "SELECT CHAR_LENGTH('日本語')"));
  }

  @Test void sessionsAndQueriesFilteredByNonLatinText() throws Exception {
    assertEquals(List.of(APP), column(root, "SELECT application_name FROM (SHOW SESSIONS) s "
        + "WHERE application_name = '" + APP + "'"));
    String sql = "SELECT query FROM (SHOW QUERIES) s WHERE query LIKE '%日本%'";
    assertEquals(List.of(sql), column(root, sql));
  }

  @Test void aNonLatinIdIsMalformed() {
    String msg = failsWith("22023", () -> Sql.update(root, "CANCEL SESSION '日本'"));
    assertTrue(msg.contains("could not parse session ID '日本'"), msg);
  }
}
