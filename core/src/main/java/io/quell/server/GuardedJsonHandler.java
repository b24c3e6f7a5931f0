package io.quell.server;

import io.quell.frontend.ErrorReplies;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.Service;

/** Avatica's JSON handler with Quell's {@link ErrorReplies}. */
final class GuardedJsonHandler extends JsonHandler {
  private final ErrorReplies errors;
  private volatile Service.RpcMetadataResponse metadata;

  GuardedJsonHandler(Service service, ErrorReplies errors) {
    super(service, NoopMetricsSystem.getInstance());
    this.errors = errors;
  }

  @Override public HandlerResponse<String> convertToErrorResponse(Exception e) {
    return errors.reply(e, metadata, MAPPER::writeValueAsString);
  }

  @Override public void setRpcMetadata(Service.RpcMetadataResponse metadata) {
    super.setRpcMetadata(metadata);
    this.metadata = metadata;
  }
}
