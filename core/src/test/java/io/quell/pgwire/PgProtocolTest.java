package io.quell.pgwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.session.Session;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The protocol as the server speaks it, message by message, with a client written from the
 * protocol's description ({@link RawClient}): what no driver sends (malformed and absurd
 * messages, pipelines, row limits, NULLs, raw binary values) and what ends a connection (its
 * socket closing, an ended session, the server stopping).
 */
@Timeout(120)
class PgProtocolTest {
  @TempDir static Path dir;
  private static PgWireServer server;

  @BeforeAll static void start() throws Exception {
    server = PgWireServer.start(dir.resolve("data"));
  }

  @AfterAll static void stop() {
    server.close();
  }

  private static RawClient login() throws Exception {
    return RawClient.login(server.pgPort(), "root", PgWireServer.ROOT_PASSWORD);
  }

  private static String types(List<RawClient.Message> messages) {
    StringBuilder types = new StringBuilder();
    messages.forEach(m -> types.append(m.type()));
    return types.toString();
  }

  /** The values of a DataRow, as text (null for NULL). */
  private static List<String> values(RawClient.Message row) {
    List<String> values = new ArrayList<>();
    for (byte[] value : rawValues(row)) {
      values.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static List<byte[]> rawValues(RawClient.Message row) {
    assertEquals('D', row.type());
    ByteBuffer body = ByteBuffer.wrap(row.body());
    int count = body.getShort();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int length = body.getInt();
      if (length < 0) {
        values.add(null);
      } else {
        byte[] value = new byte[length];
        body.get(value);
        values.add(value);
      }
    }
    return values;
  }

  /** The type OIDs of a RowDescription. */
  private static List<Integer> columnTypes(RawClient.Message description) {
    assertEquals('T', description.type());
    ByteBuffer body = ByteBuffer.wrap(description.body());
    int count = body.getShort();
    List<Integer> oids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      while (body.get() != 0) {
        // the column's name
      }
      body.getInt();
      body.getShort();
      oids.add(body.getInt());
      body.getShort();
      body.getInt();
      body.getShort();
    }
    return oids;
  }

  @Test void theStartupReportsParametersAndAKey() throws Exception {
    try (RawClient client = login()) {
      assertEquals("13.0.0", client.parameters().get("server_version"));
      assertEquals("UTF8", client.parameters().get("client_encoding"));
      assertTrue(client.parameters().get("DateStyle").startsWith("ISO"));
      assertEquals("on", client.parameters().get("integer_datetimes"));
      assertEquals("on", client.parameters().get("standard_conforming_strings"));
      assertEquals("on", client.parameters().get("is_superuser"));
      assertEquals("root", client.parameters().get("session_authorization"));
      assertTrue(client.pid() > 0);
      Session session = server.server().engine().registry().sessionByPid(client.pid());
      assertEquals("root", session.user());
    }
  }

  @Test void aSetIsReportedAsAParameterStatus() throws Exception {
    try (RawClient client = login()) {
      client.query("SET application_name = 'raw client'");
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("CSZ", types(messages));
      assertEquals("SET", messages.get(0).text().strip().replace("\0", ""));
      assertEquals("application_name\0raw client\0", messages.get(1).text());
    }
  }

  @Test void anEmptyQueryAndSeveralStatementsAnswerAsPostgresql() throws Exception {
    try (RawClient client = login()) {
      client.query("  -- nothing here\n ; ");
      assertEquals("IZ", types(client.readUntilReady()));
      client.query("SELECT 1 AS a; /* ; */ SELECT 'b;' AS b, NULL AS c");
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("TDCTDCZ", types(messages));
      assertEquals(List.of("1"), values(messages.get(1)));
      assertEquals(List.of(23), columnTypes(messages.get(0)));
      assertEquals("SELECT 1\0", messages.get(2).text());
      assertEquals(java.util.Arrays.asList("b;", null), values(messages.get(4)));
      // The first error ends the message: the statement after it does not run.
      client.query("SELECT 1; SELEC 2; SELECT 3");
      messages = client.readUntilReady();
      assertEquals("TDCEZ", types(messages));
      assertEquals("42601", messages.get(3).field('C'));
      assertEquals("ERROR", messages.get(3).field('S'));
    }
  }

  @Test void transactionBlocksMoveBetweenIdleInBlockAndFailed() throws Exception {
    try (RawClient client = login()) {
      client.query("BEGIN");
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("BEGIN\0", messages.get(0).text());
      assertEquals("T", messages.get(1).text());
      client.query("SELEC 1");
      assertEquals("E", client.readUntilReady().get(1).text());
      client.query("SELECT 1");
      messages = client.readUntilReady();
      assertEquals("25P02", messages.get(0).field('C'));
      assertEquals("E", messages.get(1).text());
      client.query("COMMIT");
      messages = client.readUntilReady();
      assertEquals("ROLLBACK\0", messages.get(0).text());
      assertEquals("I", messages.get(1).text());
      client.query("COMMIT");
      messages = client.readUntilReady();
      assertEquals("NCZ", types(messages));
      assertEquals("WARNING", messages.get(0).field('S'));
      client.query("SAVEPOINT s");
      assertEquals("0A000", client.readUntilReady().get(0).field('C'));
    }
  }

  @Test void thePipelinedExtendedProtocolAnswersInOrder() throws Exception {
    try (RawClient client = login()) {
      // $1 twice, and a $1 inside a string that is no parameter.
      client.parse("q", "SELECT n_name, '$1' AS literal FROM nation "
          + "WHERE n_nationkey = $1 OR n_regionkey = $1 ORDER BY n_nationkey", 23);
      client.describe('S', "q");
      client.bind("", "q", new String[] {"1"});
      client.execute("", 0);
      client.bind("", "q", new String[] {"4"});
      client.execute("", 2);
      client.execute("", 2);
      client.execute("", 0);
      client.sync();
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("1tT2DDDDDC2DDsDDsDCZ", types(messages));
      assertEquals(List.of("ARGENTINA", "$1"), values(messages.get(4)));
      assertEquals("SELECT 5\0", messages.get(9).text());
      assertEquals(List.of("IRAQ", "$1"), values(messages.get(14)));
      assertEquals("SELECT 1\0", messages.get(18).text());
      assertEquals(List.of(1043, 1042), columnTypes(messages.get(2)), "varchar, and bpchar for a literal");
    }
  }

  @Test void anErrorSkipsTheRestOfThePipelineUntilSync() throws Exception {
    try (RawClient client = login()) {
      client.parse("", "SELECT 1 / $1", 23);
      client.bind("", "", new String[] {"0"});
      client.execute("", 0);
      client.parse("", "SELECT 2");
      client.bind("", "", new String[0]);
      client.execute("", 0);
      client.sync();
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("12EZ", types(messages));
      assertEquals("22012", messages.get(2).field('C'));
      client.parse("", "SELECT 2");
      client.bind("", "", new String[0]);
      client.execute("", 0);
      client.sync();
      messages = client.readUntilReady();
      assertEquals("12DCZ", types(messages));
    }
  }

  @Test void badBindsAndUnknownNamesAreErrorsNotTheEnd() throws Exception {
    try (RawClient client = login()) {
      client.bind("", "no_such_statement", new String[0]);
      client.sync();
      assertEquals("26000", client.readUntilReady().get(0).field('C'));
      client.parse("s1", "SELECT CAST($1 AS INTEGER)");
      client.bind("", "s1", new String[0]);
      client.sync();
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("08P01", messages.get(1).field('C'));
      assertTrue(messages.get(1).field('M').contains("requires 1"));
      client.parse("s1", "SELECT 1");
      client.sync();
      assertEquals("42P05", client.readUntilReady().get(0).field('C'));
      client.execute("nope", 0);
      client.sync();
      assertEquals("34000", client.readUntilReady().get(0).field('C'));
      client.bind("", "s1", new String[] {"x1"});
      client.sync();
      assertEquals("22P02", client.readUntilReady().get(0).field('C'));
      client.query("SELECT 5");
      assertEquals(List.of("5"), values(client.readUntilReady().get(1)));
    }
  }

  @Test void valuesTravelInBinaryBothWays() throws Exception {
    try (RawClient client = login()) {
      client.parse("", "SELECT CAST($1 AS INTEGER) * 2, CAST($2 AS DOUBLE) / 2, "
          + "CAST($3 AS DECIMAL(12, 4)) + 0, CAST($4 AS DATE), CAST(NULL AS BIGINT)",
          23, 701, 1700, 1082);
      byte[] numeric = {0, 2, 0, 0, 0, 0, 0, 4, 0, 12, 0x0D, (byte) 0x80}; // 12.3456
      client.bind("", "", new short[] {1}, new byte[][] {
          ByteBuffer.allocate(4).putInt(21).array(),
          ByteBuffer.allocate(8).putDouble(5.0).array(),
          numeric,
          ByteBuffer.allocate(4).putInt(-1).array()}, (short) 1);
      client.execute("", 0);
      client.sync();
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("12DCZ", types(messages));
      List<byte[]> row = rawValues(messages.get(2));
      assertEquals(42, ByteBuffer.wrap(row.get(0)).getInt());
      assertEquals(2.5, ByteBuffer.wrap(row.get(1)).getDouble());
      assertArrayEquals(numeric, row.get(2));
      assertEquals(-1, ByteBuffer.wrap(row.get(3)).getInt()); // 1999-12-31
      assertNull(row.get(4));
    }
  }

  @Test void malformedAndAbsurdMessagesEndTheConnectionWith08P01() throws Exception {
    try (RawClient client = login()) {
      // A Query claiming 2 GB: refused before anything is buffered for it.
      client.sendRaw(new byte[] {'Q', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'x'});
      List<RawClient.Message> messages = client.readUntilClosed();
      assertEquals(1, messages.size());
      assertEquals("08P01", messages.get(0).field('C'));
      assertEquals("FATAL", messages.get(0).field('S'));
    }
    try (RawClient client = login()) {
      client.send('Q', "SELECT 1".getBytes(StandardCharsets.UTF_8)); // no terminator
      List<RawClient.Message> messages = client.readUntilClosed();
      assertEquals("08P01", messages.get(messages.size() - 1).field('C'));
    }
    try (RawClient client = login()) {
      client.send('!', new byte[0]);
      List<RawClient.Message> messages = client.readUntilClosed();
      assertEquals("08P01", messages.get(messages.size() - 1).field('C'));
    }
    try (RawClient client = new RawClient(server.pgPort())) {
      client.sendRaw(ByteBuffer.allocate(8).putInt(1 << 30).putInt(3 << 16).array());
      List<RawClient.Message> messages = client.readUntilClosed();
      assertEquals("08P01", messages.get(0).field('C'));
    }
    try (RawClient client = login()) {
      client.query("SELECT 'still serving'");
      assertEquals(List.of("still serving"), values(client.readUntilReady().get(1)));
    }
  }

  @Test void sslAndGssEncryptionRequestsAreDeclinedWithoutTls() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.pgPort())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.writeInt(8);
      out.writeInt(PgConnection.GSSENC_REQUEST);
      out.flush();
      assertEquals('N', in.readByte());
      out.writeInt(8);
      out.writeInt(PgConnection.SSL_REQUEST);
      out.flush();
      assertEquals('N', in.readByte());
    }
  }

  @Test void closingTheSocketEndsTheSessionAndCancelsItsQuery() throws Exception {
    RawClient client = login();
    int pid = client.pid();
    client.query("SELECT pg_sleep(30)");
    Session session = awaitRunning(pid);
    long start = System.nanoTime();
    client.close();
    while (session.endCause() == null) {
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "session ended");
      Thread.sleep(10);
    }
    assertNull(server.server().engine().registry().sessionByPid(pid));
    while (!server.server().engine().registry().queries().isEmpty()) {
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "query ended");
      Thread.sleep(10);
    }
  }

  @Test void aClientThatStopsReadingDoesNotHoldItsCancelledQuery() throws Exception {
    try (RawClient client = login(); RawClient admin = login()) {
      // Far more rows than the sockets buffer, and the client reads none of them.
      client.query("SELECT l.*, n.* FROM lineitem l, nation n");
      Session session = server.server().engine().registry().sessionByPid(client.pid());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (session.activeQuery() == null) {
        assertTrue(System.nanoTime() < deadline, "the query started");
        Thread.sleep(10);
      }
      var query = session.activeQuery();
      Thread.sleep(1000);
      admin.query("CANCEL QUERY '" + query.id() + "'");
      assertEquals("CANCEL QUERY\0", admin.readUntilReady().get(0).text());
      long cancelled = System.nanoTime();
      while (server.server().engine().registry().query(query.id()) != null) {
        assertTrue(System.nanoTime() - cancelled < TimeUnit.SECONDS.toNanos(3),
            "the query ended though its client reads nothing");
        Thread.sleep(10);
      }
    }
  }

  @Test void aSessionEndedElsewhereClosesItsConnectionWithFatal() throws Exception {
    try (RawClient client = login(); RawClient other = login()) {
      Session session = server.server().engine().registry().sessionByPid(client.pid());
      other.query("CANCEL SESSION '" + session.id() + "'");
      assertEquals('C', other.readUntilReady().get(0).type());
      List<RawClient.Message> messages = client.readUntilClosed();
      assertEquals(1, messages.size());
      assertEquals("FATAL", messages.get(0).field('S'));
      assertEquals("57P01", messages.get(0).field('C'));
    }
  }

  @Test void anIdleTimeoutClosesTheConnection() throws Exception {
    try (RawClient client = login()) {
      client.query("SET idle_in_session_timeout = '300ms'");
      client.readUntilReady();
      long start = System.nanoTime();
      List<RawClient.Message> messages = client.readUntilClosed();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals("57P01", messages.get(0).field('C'), messages.get(0).field('M'));
      assertTrue(millis < 3000, "closed after " + millis + " ms");
    }
  }

  @Test void aCancelRequestWithTheRightKeyCancelsAndIsAnsweredByTheClose() throws Exception {
    try (RawClient client = login()) {
      client.query("SELECT pg_sleep(30)");
      awaitRunning(client.pid());
      RawClient.cancel(server.pgPort(), client.pid(), client.secret());
      List<RawClient.Message> messages = client.readUntilReady();
      assertEquals("57014", messages.get(0).field('C'), messages.get(0).field('M'));
    }
  }

  private static Session awaitRunning(int pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Session session = server.server().engine().registry().sessionByPid(pid);
      if (session != null && session.activeQuery() != null
          && session.activeQuery().sql().contains("pg_sleep")) {
        return session;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("session " + pid + " never ran its query");
  }
}
