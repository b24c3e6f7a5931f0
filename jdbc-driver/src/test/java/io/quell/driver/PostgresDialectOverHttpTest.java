package io.quell.driver;

import static io.quell.testing.Sql.column;
import static io.quell.testing.Sql.failsWith;
import static io.quell.testing.Sql.rows;
import static io.quell.testing.Sql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.util.List;

/**
 * PostgreSQL's dialect over {@code jdbc:quell://}: a client of the HTTP front end writes the
 * same SQL as an embedded one (core's PostgresDialectTest has every case), because both run
 * the engine's one configuration; one statement of each kind shows it, against a real server.
 */
@Timeout(120)
class PostgresDialectOverHttpTest {
  @TempDir static Path dir;
  static ServerFixture f;

  @BeforeAll static void start() throws Exception {
    f = new ServerFixture(dir);
  }

  @AfterAll static void stop() {
    f.close();
  }

  @Test void postgresSqlRunsOverHttp() throws Exception {
    Connection c = f.root();
    assertEquals(List.of(1, 2, true, "PostgreSQL 13.0.0 on Quell 0.1.0", "quell", "tpch"),
        rows(c, "SELECT 7 % 3, '1'::int + 1, 'abc' ~* '^A', SUBSTRING(version() FROM 1 FOR 32),"
            + " current_database(), current_schema()").get(0));
    assertEquals(List.of("BRAZIL", "CANADA"),
        column(c, "SELECT n_name FROM nation ORDER BY 1 OFFSET 2 LIMIT 2"));
    assertEquals(List.of(Timestamp.valueOf("2024-05-01 00:00:00"), "ALGERIA"), rows(c,
        "SELECT date_trunc('month', TIMESTAMP '2024-05-06 10:11:12'), pg_catalog.string_agg("
            + "n_name, ',') FROM nation WHERE n_name OPERATOR(pg_catalog.~) '^ALG'"
            + " COLLATE pg_catalog.default").get(0));
  }

  @Test void postgresVariablesOverHttp() throws Exception {
    Connection c = f.root();
    update(c, "SET DateStyle TO 'ISO, DMY'");
    update(c, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
    assertEquals(List.of("ISO, DMY", "130000", "read committed"), rows(c,
        "SELECT current_setting('datestyle'), current_setting('server_version_num'),"
            + " current_setting('default_transaction_isolation')").get(0));
    assertEquals("UTC", column(c, "SHOW TIME ZONE").get(0));
    String message = failsWith("22023", () -> update(c, "SET client_encoding = 'LATIN1'"));
    assertTrue(message.contains("UTF8"), message);
    failsWith("22P02", () -> rows(c, "SELECT 'abc'::int"));
  }
}
