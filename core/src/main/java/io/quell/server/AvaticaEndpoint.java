package io.quell.server;

import io.quell.frontend.ErrorReplies;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The HTTP endpoint of the Avatica protocol, in place of Avatica's own Jetty handlers, which
 * build their codec handler themselves and so would send every error with the server's stack
 * trace: here the codec handler is one of Quell's, with {@link ErrorReplies}.
 */
final class AvaticaEndpoint extends AbstractHandler implements AvaticaHandler {
  private final Function<byte[], HandlerResponse<byte[]>> codec;
  private final Consumer<RpcMetadataResponse> metadata;
  private final String contentType;

  private AvaticaEndpoint(Function<byte[], HandlerResponse<byte[]>> codec,
      Consumer<RpcMetadataResponse> metadata, String contentType) {
    this.codec = codec;
    this.metadata = metadata;
    this.contentType = contentType;
  }

  static AvaticaEndpoint of(Serialization serialization, Service service, ErrorReplies errors) {
    if (serialization == Serialization.JSON) {
      GuardedJsonHandler json = new GuardedJsonHandler(service, errors);
      return new AvaticaEndpoint(body -> {
        HandlerResponse<String> r = json.apply(new String(body, StandardCharsets.UTF_8));
        return new HandlerResponse<>(r.getResponse().getBytes(StandardCharsets.UTF_8),
            r.getStatusCode());
      }, json::setRpcMetadata, "application/json;charset=utf-8");
    }
    GuardedProtobufHandler protobuf = new GuardedProtobufHandler(service, errors);
    return new AvaticaEndpoint(protobuf::apply, protobuf::setRpcMetadata,
        "application/octet-stream;charset=utf-8");
  }

  @Override public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    if (!"POST".equals(request.getMethod())) {
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          "this server expects only POST calls");
      return;
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      // Avatica's client sends the length; readAllBytes would allocate and copy 16 KB
      // buffers for every request, a third of what a server allocated for a SELECT 1.
      int length = request.getContentLength();
      body = length < 0 ? in.readAllBytes() : in.readNBytes(length);
    }
    HandlerResponse<byte[]> reply = codec.apply(body);
    response.setContentType(contentType);
    response.setStatus(reply.getStatusCode());
    response.getOutputStream().write(reply.getResponse());
  }

  @Override public void setServerRpcMetadata(RpcMetadataResponse metadata) {
    this.metadata.accept(metadata);
  }
}
