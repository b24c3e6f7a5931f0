package io.quell.cluster;

import io.quell.activity.Activity;
import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.session.ActivityId;
import io.quell.session.ActivityKind;

import com.fasterxml.jackson.core.JacksonException;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * This member's side of {@link PeerProtocol}: answers the other members' calls from the engine,
 * with the same code that serves its own readers and cancels. The server hands it only
 * requests it has authenticated as the node principal, under {@link #PATH}.
 */
public final class PeerEndpoint extends AbstractHandler {
  /** The path below which every call is served. */
  public static final String PATH = PeerProtocol.PATH;
  private static final Logger LOG = LoggerFactory.getLogger(PeerEndpoint.class);
  private static final int MAX_REQUEST_BYTES = 16 << 20;

  /** How one call is answered. */
  private record Answer<Q, R>(PeerProtocol.Call<Q, R> call, Function<Q, R> how) {
    R answer(byte[] request) throws IOException {
      return how.apply(PeerProtocol.JSON.readValue(request, call.request()));
    }
  }

  private final QuellEngine engine;
  private final Map<String, Answer<?, ?>> answers = new LinkedHashMap<>();

  public PeerEndpoint(QuellEngine engine) {
    this.engine = engine;
    add(new Answer<>(PeerProtocol.PING, ping -> ping));
    add(new Answer<>(PeerProtocol.ROWS, request -> new PeerProtocol.Rows(
        engine.nodeRows(request.table(), request.viewer()).stream()
            .map(Arrays::asList).toList())));
    add(new Answer<>(PeerProtocol.FIND, this::find));
    add(new Answer<>(PeerProtocol.CANCEL, this::cancel));
    add(new Answer<>(PeerProtocol.CONNECTIONS, request -> engine.connections(request.role())));
  }

  private void add(Answer<?, ?> answer) {
    answers.put(answer.call().name(), answer);
  }

  private PeerProtocol.Found find(PeerProtocol.FindRequest request) {
    Map<String, String> owners = new LinkedHashMap<>();
    for (Activity found : engine.localActivities().find(request.kind(),
        ids(request.kind(), request.ids()))) {
      owners.put(found.id().toString(), found.owner());
    }
    return new PeerProtocol.Found(owners);
  }

  /** Not audited here: the member the CANCEL ran on audits it, under its caller. */
  private PeerProtocol.Cancelled cancel(PeerProtocol.CancelRequest request) {
    List<String> cancelled = new ArrayList<>();
    engine.localActivities().cancel(request.kind(), ids(request.kind(), request.ids()),
        request.reason(), request.caller(), id -> cancelled.add(id.toString()));
    if (!cancelled.isEmpty()) {
      LOG.info("canceled {} {} for {} of another member (audited there)",
          request.kind().noun(), cancelled, request.caller());
    }
    return new PeerProtocol.Cancelled(cancelled);
  }

  private static List<ActivityId> ids(ActivityKind kind, List<String> ids) {
    return ids.stream().map(id -> ActivityId.parse(id, kind.noun())).toList();
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    response.setHeader(PeerProtocol.NODE_HEADER, Long.toString(engine.registry().nodeId()));
    response.setContentType("application/json");
    Answer<?, ?> answer = answers.get(target.substring(PATH.length()));
    Object reply;
    int status = HttpServletResponse.SC_OK;
    if (answer == null || !request.getMethod().equals("POST")) {
      status = answer == null ? HttpServletResponse.SC_NOT_FOUND
          : HttpServletResponse.SC_METHOD_NOT_ALLOWED;
      reply = new PeerProtocol.Failure(SqlState.PROTOCOL_VIOLATION.code(),
          "no peer call " + request.getMethod() + " " + target);
    } else {
      try {
        reply = answer.answer(request.getInputStream().readNBytes(MAX_REQUEST_BYTES));
      } catch (JacksonException e) {
        status = HttpServletResponse.SC_BAD_REQUEST;
        reply = new PeerProtocol.Failure(SqlState.PROTOCOL_VIOLATION.code(),
            "a peer call " + target + " that cannot be read: " + e.getOriginalMessage());
      } catch (QuellException e) {
        status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        reply = new PeerProtocol.Failure(e.sqlState().code(), e.getMessage());
      } catch (RuntimeException e) {
        // As the Avatica endpoint does: the trace stays in this member's log.
        String errorId = UUID.randomUUID().toString();
        LOG.error("peer call {} failed, error id {}", target, errorId, e);
        status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        reply = new PeerProtocol.Failure(SqlState.INTERNAL_ERROR.code(), "internal error on "
            + "node " + engine.registry().nodeId() + " (error id " + errorId + ")");
      }
    }
    response.setStatus(status);
    PeerProtocol.JSON.writeValue(response.getOutputStream(), reply);
  }
}
