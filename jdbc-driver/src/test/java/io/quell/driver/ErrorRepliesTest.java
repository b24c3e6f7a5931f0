package io.quell.driver;

import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error replies tell a client the message, the SQLSTATE and an error id, nothing of the
 * server's insides; the server log has the trace under that id.
 */
@Timeout(120)
class ErrorRepliesTest {
  /** What would betray the server's insides: frames, its classes and libraries, file names. */
  private static final Pattern INTERNALS = Pattern.compile(
      "\\tat |\\bat [a-z]+\\.[a-z]|io\\.quell|org\\.apache|org\\.eclipse|com\\.google"
          + "|\\w+\\.java\\b|Exception\\b");

  @TempDir Path dir;

  /** One statement of each kind of failure, and the SQLSTATE it must carry. */
  private static Map<String, String> failures() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("SELEC 1", "42601");
    m.put("SELECT no_such_column FROM lineitem", "42000");
    m.put("CANCEL SESSION 'not-an-id'", "22023");
    m.put("SELECT CAST('x' AS INTEGER) FROM nation", null);
    m.put("SELECT pg_sleep(5)", "57014");
    return m;
  }

  @Test void clientsLearnMessageStateAndIdOnly() throws Exception {
    try (ServerLog log = ServerLog.capture(); ServerFixture f = new ServerFixture(dir)) {
      Connection root = f.root();
      update(root, "SET statement_timeout = '200ms'");
      List<Integer> ids = new ArrayList<>();
      for (Map.Entry<String, String> failure : failures().entrySet()) {
        SQLException e;
        try (Statement s = root.createStatement()) {
          e = assertThrows(SQLException.class, () -> s.executeQuery(failure.getKey()).next(),
              failure.getKey());
        }
        if (failure.getValue() != null) {
          assertEquals(failure.getValue(), e.getSQLState(), e.getMessage());
        }
        assertNoInternals(failure.getKey(), e);
        int id = errorId(e);
        ids.add(id);
        // a cancel is logged in one line, its trace only at DEBUG
        assertLogged(log, id, !"57014".equals(e.getSQLState()));
      }
      System.out.println("error ids: " + ids);

      // The same over the raw protocol, also for a request the server cannot even decode.
      Service.ErrorResponse garbage = post(f.server.port(), new byte[] {1, 2, 3, 4, 5});
      assertTrue(garbage.exceptions.isEmpty(), garbage.exceptions.toString());
      assertFalse(INTERNALS.matcher(garbage.errorMessage).find(), garbage.errorMessage);
      assertLogged(log, garbage.errorCode, true);
      String connectionId = root.unwrap(AvaticaConnection.class).id;
      Service.ErrorResponse parse = post(f.server.port(), new ProtobufTranslationImpl()
          .serializeRequest(new Service.PrepareRequest(connectionId, "SELEC 1", -1)));
      assertEquals("42601", parse.sqlState);
      assertTrue(parse.exceptions.isEmpty(), parse.exceptions.toString());
      assertLogged(log, parse.errorCode, true);
    }
  }

  @Test void debugErrorsSendTheTrace() throws Exception {
    try (ServerFixture f = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(dir).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD)
        .debugErrors(true).build()).host("127.0.0.1").port(0), null, Serialization.PROTOBUF)) {
      String connectionId = f.root().unwrap(AvaticaConnection.class).id;
      Service.ErrorResponse parse = post(f.server.port(), new ProtobufTranslationImpl()
          .serializeRequest(new Service.PrepareRequest(connectionId, "SELEC 1", -1)));
      assertEquals("42601", parse.sqlState);
      assertTrue(parse.exceptions.get(0).contains("\tat "), parse.exceptions.toString());
    }
  }

  /** The error id of {@code e}: the vendor code, seven digits. */
  private static int errorId(SQLException e) {
    assertTrue(e.getErrorCode() >= 1_000_000 && e.getErrorCode() <= 9_999_999,
        "error id " + e.getErrorCode() + " of " + e.getMessage());
    return e.getErrorCode();
  }

  private static void assertNoInternals(String sql, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      assertFalse(INTERNALS.matcher(message).find(), sql + ": " + message);
      List<String> traces = t instanceof AvaticaSqlException a ? a.getStackTraces()
          : t instanceof AvaticaClientRuntimeException c ? c.getServerExceptions() : List.of();
      assertTrue(traces == null || traces.stream().allMatch(String::isBlank),
          sql + ": the client received " + traces);
    }
  }

  private static void assertLogged(ServerLog log, int id, boolean withTrace) {
    Matcher entry = Pattern.compile("error " + id + " \\(SQLSTATE \\w+\\): [^\\n]*\\n"
        + (withTrace ? "[\\w.$]+(Exception|Error)[^\\n]*\\n\\tat " : "")).matcher(log.text());
    assertTrue(entry.find(), "the log has no entry under error " + id);
  }

  private static Service.ErrorResponse post(int port, byte[] body) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                ("root:" + ServerFixture.ROOT_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(500, response.statusCode());
    return assertInstanceOf(Service.ErrorResponse.class,
        new ProtobufTranslationImpl().parseResponse(response.body()));
  }
}
