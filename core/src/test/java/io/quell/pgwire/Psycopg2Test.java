package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * psycopg2 (Debian's python3-psycopg2, over libpq) against a Quell server's PostgreSQL port:
 * parameters, which psycopg2 interpolates on the client, its implicit transactions, and
 * {@code connection.cancel()} from another thread. Skipped where psycopg2 is not installed,
 * except on CI, where .ci/run installs it.
 */
@Timeout(120)
class Psycopg2Test {
  /** Debian's python, which has Debian's psycopg2, before any other on the PATH. */
  private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");
  private static final String SCRIPT = String.join("\n",
      "import sys, threading, time, psycopg2",
      "conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='root',",
      "    password=sys.argv[2], dbname='quell', application_name='psycopg2-test')",
      "cur = conn.cursor()",
      "cur.execute('select cast(%s as integer) + 1', (41,))",
      "print('param', cur.fetchone()[0])",
      "cur.execute('select n_regionkey from nation where n_name = %s', (\"FRANCE\",))",
      "print('string', cur.fetchone()[0])",
      "import datetime, decimal",
      "cur.execute('select %s, %s, %s, %s', (datetime.datetime(2024, 1, 2, 3, 4, 5, 123000),",
      "    datetime.date(2024, 1, 2), decimal.Decimal('12.34'), None))",
      "print('typed', repr(cur.fetchone()).replace(' ', ''))",
      "print('status', conn.get_transaction_status())",
      "conn.rollback()",
      "cancelled_at = []",
      "def cancel():",
      "    time.sleep(1.0)",
      "    cancelled_at.append(time.time())",
      "    conn.cancel()",
      "thread = threading.Thread(target=cancel)",
      "thread.start()",
      "try:",
      "    cur.execute('select pg_sleep(30)')",
      "    print('cancelled', 'no')",
      "except psycopg2.Error as e:",
      "    print('cancelled', e.pgcode)",
      "    print('after_ms', int((time.time() - cancelled_at[0]) * 1000))",
      "thread.join()",
      "conn.rollback()",
      "cur.execute('select 2 + 2')",
      "print('again', cur.fetchone()[0])",
      "conn.close()",
      "");

  @TempDir static Path dir;
  private static PgWireServer server;
  private static String python;

  @BeforeAll static void start() throws Exception {
    python = PYTHONS.stream().filter(Psycopg2Test::hasPsycopg2).findFirst().orElse(null);
    Assumptions.assumeTrue(python != null || System.getenv("CI") != null,
        "psycopg2 is not installed (apt-get install python3-psycopg2): skipped");
    server = PgWireServer.start(dir.resolve("data"));
  }

  @AfterAll static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static boolean hasPsycopg2(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import psycopg2")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test void parametersTransactionsAndCancel() throws Exception {
    Process process = new ProcessBuilder(python == null ? "python3" : python, "-c", SCRIPT,
        String.valueOf(server.pgPort()), PgWireServer.ROOT_PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, process.exitValue(), output);
    Map<String, String> printed = output.lines().filter(l -> l.contains(" "))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')),
            l -> l.substring(l.indexOf(' ') + 1), (a, b) -> b));
    assertEquals("42", printed.get("param"), output);
    assertEquals("3", printed.get("string"), output);
    assertEquals("(datetime.datetime(2024,1,2,3,4,5,123000),datetime.date(2024,1,2),"
        + "Decimal('12.34'),None)", printed.get("typed"), output);
    // psycopg2 began a transaction before its first statement.
    assertEquals("2", printed.get("status"), output);
    assertEquals("57014", printed.get("cancelled"), output);
    assertTrue(Integer.parseInt(printed.get("after_ms")) < 1000, output);
    assertEquals("4", printed.get("again"), output);
  }
}
