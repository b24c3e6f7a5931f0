package io.quell.driver;

import static io.quell.driver.ServerIntegrationTest.strings;
import static io.quell.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quell.engine.EngineConfig;
import io.quell.server.QuellServer;
import io.quell.frontend.RequestGuard;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.Service.Request;
import org.apache.calcite.avatica.remote.TypedValue;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every Avatica request type, sent over HTTP by one user with another user's live connection
 * and statement ids, is refused before it does anything, in both wire formats; the request
 * types and Meta methods are enumerated from Avatica itself, so a type that a newer Avatica
 * adds fails this test until the guard knows it.
 */
@Timeout(180)
class RequestOwnershipTest {
  private static final ProtobufTranslationImpl PROTOBUF = new ProtobufTranslationImpl();

  /** The handles a request names: whose connection, whose statement. */
  record Target(String connectionId, int statementId, Meta.StatementHandle prepared) {
  }

  /**
   * One request of each type naming {@code target}'s handles. Adding a type here is the
   * conscious step that a new Avatica request type needs, after teaching the guard.
   */
  private static final Map<Class<?>, Function<Target, Request>> REQUESTS = requests();

  private static Map<Class<?>, Function<Target, Request>> requests() {
    String cancelAll = "CANCEL SESSIONS (SELECT session_id FROM (SHOW SESSIONS) AS s)";
    List<TypedValue> two = List.of(TypedValue.ofLocal(ColumnMetaData.Rep.INTEGER, 2));
    Map<Class<?>, Function<Target, Request>> m = new LinkedHashMap<>();
    m.put(Service.CatalogsRequest.class, t -> new Service.CatalogsRequest(t.connectionId()));
    m.put(Service.SchemasRequest.class,
        t -> new Service.SchemasRequest(t.connectionId(), null, null));
    m.put(Service.TablesRequest.class,
        t -> new Service.TablesRequest(t.connectionId(), null, null, null, null));
    m.put(Service.TableTypesRequest.class, t -> new Service.TableTypesRequest(t.connectionId()));
    m.put(Service.TypeInfoRequest.class, t -> new Service.TypeInfoRequest(t.connectionId()));
    m.put(Service.ColumnsRequest.class,
        t -> new Service.ColumnsRequest(t.connectionId(), null, null, null, null));
    m.put(Service.ExecuteRequest.class, t -> new Service.ExecuteRequest(
        new Meta.StatementHandle(t.connectionId(), t.prepared().id, t.prepared().signature),
        two, 100));
    m.put(Service.PrepareRequest.class,
        t -> new Service.PrepareRequest(t.connectionId(), cancelAll, -1));
    m.put(Service.PrepareAndExecuteRequest.class, t -> new Service.PrepareAndExecuteRequest(
        t.connectionId(), t.statementId(), cancelAll, -1, 100));
    m.put(Service.FetchRequest.class,
        t -> new Service.FetchRequest(t.connectionId(), t.statementId(), 0, 10));
    m.put(Service.CreateStatementRequest.class,
        t -> new Service.CreateStatementRequest(t.connectionId()));
    m.put(Service.CloseStatementRequest.class,
        t -> new Service.CloseStatementRequest(t.connectionId(), t.statementId()));
    m.put(Service.OpenConnectionRequest.class,
        t -> new Service.OpenConnectionRequest(t.connectionId(), Map.of()));
    m.put(Service.CloseConnectionRequest.class,
        t -> new Service.CloseConnectionRequest(t.connectionId()));
    m.put(Service.ConnectionSyncRequest.class, t -> new Service.ConnectionSyncRequest(
        t.connectionId(), new ConnectionPropertiesImpl(false, true,
            Connection.TRANSACTION_SERIALIZABLE, "x", "y")));
    m.put(Service.DatabasePropertyRequest.class,
        t -> new Service.DatabasePropertyRequest(t.connectionId()));
    m.put(Service.SyncResultsRequest.class, t -> new Service.SyncResultsRequest(
        t.connectionId(), t.statementId(), new QueryState(cancelAll), 0));
    m.put(Service.CommitRequest.class, t -> new Service.CommitRequest(t.connectionId()));
    m.put(Service.RollbackRequest.class, t -> new Service.RollbackRequest(t.connectionId()));
    m.put(Service.PrepareAndExecuteBatchRequest.class,
        t -> new Service.PrepareAndExecuteBatchRequest(t.connectionId(), t.statementId(),
            List.of(cancelAll, cancelAll)));
    m.put(Service.ExecuteBatchRequest.class, t -> new Service.ExecuteBatchRequest(
        t.connectionId(), t.prepared().id, List.of(two, two)));
    return m;
  }

  /** Every request type Avatica defines: its JSON subtypes and its nested classes. */
  private static Set<Class<?>> avaticaRequestTypes() {
    Set<Class<?>> types = new java.util.HashSet<>();
    for (JsonSubTypes.Type t : Request.class.getAnnotation(JsonSubTypes.class).value()) {
      types.add(t.value());
    }
    for (Class<?> nested : Service.class.getDeclaredClasses()) {
      if (Request.class.isAssignableFrom(nested) && !Modifier.isAbstract(nested.getModifiers())) {
        types.add(nested);
      }
    }
    return types;
  }

  /**
   * The Meta methods no request reaches through Avatica's LocalService (the remote client
   * answers them locally or not at all): a change to this set means Avatica grew a path.
   */
  private static final Set<String> UNREACHED_META_METHODS = Set.of(
      "createIterable", "getAttributes", "getBestRowIdentifier", "getClientInfoProperties",
      "getColumnPrivileges", "getCrossReference", "getExportedKeys", "getFunctionColumns",
      "getFunctions", "getImportedKeys", "getIndexInfo", "getPrimaryKeys",
      "getProcedureColumns", "getProcedures", "getPseudoColumns", "getSuperTables",
      "getSuperTypes", "getTablePrivileges", "getUDTs", "getVersionColumns");

  @Test void everyRequestTypeAndMetaMethodIsCovered() {
    Set<String> unknown = avaticaRequestTypes().stream()
        .filter(t -> !REQUESTS.containsKey(t)).map(Class::getSimpleName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(unknown.isEmpty(), "request types this test (and RequestGuard) must learn: "
        + unknown);
    assertEquals(avaticaRequestTypes(), REQUESTS.keySet());

    // Which Meta methods the requests reach: LocalService over a recording Meta.
    Set<String> reached = new TreeSet<>();
    ProtobufMeta recorder = (ProtobufMeta) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ProtobufMeta.class},
        (proxy, method, args) -> {
          reached.add(method.getName());
          throw new UnsupportedOperationException("recording only");
        });
    // Through both wire formats: protobuf batches reach executeBatchProtobuf instead.
    ProtobufHandler protobuf = new ProtobufHandler(new LocalService(recorder), PROTOBUF,
        NoopMetricsSystem.getInstance());
    JsonHandler json = new JsonHandler(new LocalService(recorder),
        NoopMetricsSystem.getInstance());
    Target dummy = new Target("c", 1, new Meta.StatementHandle("c", 1, null));
    for (Function<Target, Request> request : REQUESTS.values()) {
      try {
        protobuf.apply(PROTOBUF.serializeRequest(request.apply(dummy)));
        json.apply(new String(json(request.apply(dummy)), StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    Set<String> all = Stream.of(ProtobufMeta.class.getMethods())
        .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    Set<String> unreached = new TreeSet<>(all);
    unreached.removeAll(reached);
    assertEquals(new TreeSet<>(UNREACHED_META_METHODS), unreached,
        "Meta methods that no request reaches; reached: " + reached);
  }

  @ParameterizedTest
  @EnumSource(Serialization.class)
  void anotherUsersHandlesGetNothingDone(Serialization serialization, @TempDir Path dir)
      throws Exception {
    try (ServerFixture f = new ServerFixture(QuellServer.builder(EngineConfig.builder()
        .dataDir(dir).scaleFactor(0.01).rootPassword(ServerFixture.ROOT_PASSWORD).build())
        .host("127.0.0.1").port(0), null, serialization)) {
      Connection root = f.root();
      update(root, "CREATE USER maxroach WITH PASSWORD 'roach-Secret-1'");
      update(root, "CREATE USER ops WITH PASSWORD 'ops-Secret-2' VIEWACTIVITY CANCELQUERY");
      RequestGuard guard = assertInstanceOf(RequestGuard.class, f.server.node().service());
      REQUESTS.keySet().forEach(type -> assertTrue(guard.knows(type.asSubclass(Request.class)),
          "the guard does not know " + type.getSimpleName()));

      // The victim: a running query, a prepared statement and a result set half read.
      Connection victim = f.connect("maxroach", "roach-Secret-1");
      String victimId = victim.unwrap(AvaticaConnection.class).id;
      PreparedStatement prepared = victim.prepareStatement("SELECT 40 + ?");
      Meta.StatementHandle preparedHandle = prepared.unwrap(AvaticaStatement.class).handle;
      Statement sleeping = victim.createStatement();
      CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = sleeping.executeQuery("SELECT pg_sleep(120)")) {
          rs.next();
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      int sleepingId = sleeping.unwrap(AvaticaStatement.class).handle.id;
      Statement reading = victim.createStatement();
      reading.setFetchSize(100);
      ResultSet halfRead = reading.executeQuery(
          "SELECT o_orderkey FROM orders ORDER BY o_orderkey");
      int readingId = reading.unwrap(AvaticaStatement.class).handle.id;
      int rowsBefore = 0;
      while (rowsBefore < 150 && halfRead.next()) {
        rowsBefore++;
      }
      waitUntilRunning(root);

      Thief thief = new Thief(f.server.port(), serialization, "ops", "ops-Secret-2");
      String thiefId = UUID.randomUUID().toString();
      assertFalse(thief.send(new Service.OpenConnectionRequest(thiefId, Map.of()))
          instanceof Service.ErrorResponse, "the thief's own connection opens");

      List<String> refusals = new ArrayList<>();
      for (Map.Entry<Class<?>, Function<Target, Request>> e : REQUESTS.entrySet()) {
        String type = e.getKey().getSimpleName();
        for (int statementId : new int[] {sleepingId, readingId}) {
          // the victim's connection and statements
          refusals.add(type + ": " + thief.refusal(e.getValue().apply(
              new Target(victimId, statementId, preparedHandle)), "08003", "26000"));
          // the thief's own connection naming the victim's statements
          if (namesStatement(e.getValue())) {
            refusals.add(type + " (own connection): " + thief.refusal(e.getValue().apply(
                new Target(thiefId, statementId, new Meta.StatementHandle(thiefId,
                    preparedHandle.id, preparedHandle.signature))), "26000"));
          }
        }
      }
      System.out.printf("%s: %d requests refused, e.g. %s%n", serialization, refusals.size(),
          refusals.subList(0, 3));

      // Nothing happened to the victim.
      Thread.sleep(200);
      assertFalse(running.isDone(), "the victim's query still runs");
      assertEquals(List.of("maxroach"), strings(root,
          "SELECT user_name FROM (SHOW QUERIES) AS q WHERE query = 'SELECT pg_sleep(120)'"));
      prepared.setInt(1, 2);
      try (ResultSet rs = prepared.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      int rowsAfter = 0;
      while (halfRead.next()) {
        rowsAfter++;
      }
      assertEquals(strings(root, "SELECT COUNT(*) FROM orders"),
          List.of(String.valueOf(rowsBefore + rowsAfter)), "the half-read result set ends intact");
      sleeping.cancel();
      assertEquals("57014", running.get(20, TimeUnit.SECONDS).getSQLState());
      assertEquals(List.of("1"), strings(victim, "SELECT 1"));
      assertEquals(List.of(), strings(root, "SELECT canceled_by FROM quell_internal.cancellations "
          + "WHERE canceled_by = 'ops'"));
    }
  }

  /** Whether requests made by {@code factory} name a statement, not only a connection. */
  private static boolean namesStatement(Function<Target, Request> factory) throws Exception {
    Request a = factory.apply(new Target("c", 1, new Meta.StatementHandle("c", 1, null)));
    Request b = factory.apply(new Target("c", 2, new Meta.StatementHandle("c", 2, null)));
    return !Arrays.equals(PROTOBUF.serializeRequest(a), PROTOBUF.serializeRequest(b));
  }

  /**
   * {@code request} in Avatica's JSON. A QueryState's getters assert its kind, so Jackson
   * cannot write one where assertions are on (as in tests); it is written by hand.
   */
  private static byte[] json(Request request) throws java.io.IOException {
    if (request instanceof Service.SyncResultsRequest sync) {
      com.fasterxml.jackson.databind.node.ObjectNode node = JsonService.MAPPER.createObjectNode()
          .put("request", "syncResults").put("connectionId", sync.connectionId)
          .put("statementId", sync.statementId).put("offset", sync.offset);
      node.putObject("state").put("type", "SQL").put("sql", sync.state.sql);
      return JsonService.MAPPER.writeValueAsBytes(node);
    }
    return JsonService.MAPPER.writeValueAsBytes(request);
  }

  private static void waitUntilRunning(Connection root) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (!strings(root, "SELECT query_id FROM (SHOW QUERIES) AS q "
          + "WHERE query = 'SELECT pg_sleep(120)'").isEmpty()) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the victim's query did not start");
  }

  /** Raw Avatica requests over HTTP as one user, in one wire format. */
  private static final class Thief {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final Serialization serialization;
    private final String authorization;

    Thief(int port, Serialization serialization, String user, String password) {
      this.uri = URI.create("http://127.0.0.1:" + port + "/");
      this.serialization = serialization;
      this.authorization = "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Service.Response send(Request request) throws Exception {
      byte[] body = serialization == Serialization.JSON ? json(request)
          : PROTOBUF.serializeRequest(request);
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", authorization)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return serialization == Serialization.JSON
          ? JsonService.MAPPER.readValue(response.body(), Service.Response.class)
          : PROTOBUF.parseResponse(response.body());
    }

    /** Sends {@code request}, which must be refused with one of {@code states}. */
    String refusal(Request request, String... states) throws Exception {
      Service.Response response = send(request);
      Service.ErrorResponse error = assertInstanceOf(Service.ErrorResponse.class, response,
          () -> request.getClass().getSimpleName() + " was accepted: " + response);
      assertTrue(Arrays.asList(states).contains(error.sqlState),
          () -> request.getClass().getSimpleName() + ": " + error.sqlState + " "
              + error.errorMessage);
      assertTrue(error.exceptions == null || error.exceptions.isEmpty(),
          () -> "a stack trace went to the client: " + error.exceptions);
      return error.sqlState + " " + error.errorMessage;
    }
  }
}
