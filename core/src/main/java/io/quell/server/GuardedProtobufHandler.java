package io.quell.server;

import io.quell.frontend.ErrorReplies;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

/** Avatica's protobuf handler with Quell's {@link ErrorReplies}. */
public final class GuardedProtobufHandler extends ProtobufHandler {
  private static final ProtobufTranslation TRANSLATION = new ProtobufTranslationImpl();

  private final ErrorReplies errors;
  private volatile Service.RpcMetadataResponse metadata;

  public GuardedProtobufHandler(Service service, ErrorReplies errors) {
    super(service, TRANSLATION, NoopMetricsSystem.getInstance());
    this.errors = errors;
  }

  @Override public HandlerResponse<byte[]> convertToErrorResponse(Exception e) {
    return errors.reply(e, metadata, TRANSLATION::serializeResponse);
  }

  @Override public void setRpcMetadata(Service.RpcMetadataResponse metadata) {
    super.setRpcMetadata(metadata);
    this.metadata = metadata;
  }
}
