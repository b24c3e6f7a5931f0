package io.quell.pgwire;

import io.quell.client.SqlState;
import io.quell.session.Session;

import com.google.common.util.concurrent.MoreExecutors;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection. On Netty's event loop it answers what comes before the startup
 * (SSLRequest, GSSENCRequest, CancelRequest) and hands every other message to the
 * connection's worker, which runs them one at a time ({@link Login}, then {@link PgSession}):
 * the event loop never waits for a statement, and it keeps reading while one runs, so a client
 * that goes away ends its session, which cancels its query. Messages that pile up behind a
 * running statement (a pipelining client) stop the reading past {@link #MAX_PENDING_BYTES}
 * until the worker catches up.
 */
final class PgConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;
  static final long MAX_PENDING_BYTES = 16L << 20;

  private final PgListener.Shared shared;
  private final FrameDecoder decoder;
  private final Executor worker;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean ending = new AtomicBoolean();
  private Channel channel;
  private Output output;
  private InetSocketAddress client;
  /** Set on the event loop before the startup is handed on, read by the worker. */
  private volatile boolean tls;
  /** Whether the startup (or a CancelRequest) came: negotiation is over. */
  private boolean started;
  /** The worker's state: the login until it completes, then the session. */
  private Login login;
  private volatile PgSession session;

  PgConnection(PgListener.Shared shared, FrameDecoder decoder) {
    this.shared = shared;
    this.decoder = decoder;
    this.worker = MoreExecutors.newSequentialExecutor(shared.workers());
  }

  /** The session, once logged in; null before. */
  Session session() {
    PgSession current = session;
    return current == null ? null : current.session();
  }

  @Override public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    output = new Output(channel);
    client = (InetSocketAddress) channel.remoteAddress();
    // A client that never completes its login must not hold a connection forever.
    ctx.executor().schedule(() -> {
      if (session == null && !ending.get()) {
        refuse(ctx, SqlState.QUERY_CANCELED, "canceling authentication due to timeout");
      }
    }, shared.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    FrontendMessage message = (FrontendMessage) msg;
    if (message.type() == 0) {
      try {
        negotiate(ctx, message);
      } finally {
        message.release();
      }
      return;
    }
    enqueue(message);
  }

  /** The untyped messages before the startup, answered on the event loop. */
  private void negotiate(ChannelHandlerContext ctx, FrontendMessage message) {
    if (started) {
      throw new ProtocolViolation("unexpected startup packet");
    }
    int code = message.readInt();
    switch (code) {
      case SSL_REQUEST -> {
        message.end();
        boolean accept = shared.ssl() != null && !tls;
        ByteBuf answer = ctx.alloc().buffer(1);
        BackendMessages.negotiation(answer, accept);
        // Written before TLS starts: the one plain byte that says it will.
        ctx.writeAndFlush(answer);
        if (accept) {
          tls = true;
          SslHandler handler = shared.ssl().newHandler(ctx.alloc());
          ctx.pipeline().addFirst(handler);
        }
      }
      case GSSENC_REQUEST -> {
        message.end();
        ByteBuf answer = ctx.alloc().buffer(1);
        BackendMessages.negotiation(answer, false);
        ctx.writeAndFlush(answer);
      }
      case CANCEL_REQUEST -> {
        started = true;
        int pid = message.readInt();
        int secret = message.readInt();
        message.end();
        String address = client.getAddress().getHostAddress();
        // The audit of a cancel writes to the catalog: not on the event loop.
        shared.workers().execute(() -> {
          try {
            shared.cancelKeys().cancel(pid, secret, address);
          } finally {
            channel.close();
          }
        });
      }
      default -> {
        started = true;
        decoder.startupDone();
        message.body().readerIndex(0);
        enqueue(new FrontendMessage((byte) 0, message.body().retain()));
      }
    }
  }

  /** Hands {@code message} to the worker, holding back reading while too much waits. */
  private void enqueue(FrontendMessage message) {
    long size = message.body().readableBytes();
    if (pendingBytes.addAndGet(size) > MAX_PENDING_BYTES) {
      channel.config().setAutoRead(false);
    }
    worker.execute(() -> {
      try {
        if (!ending.get()) {
          process(message);
        }
      } finally {
        message.release();
        if (pendingBytes.addAndGet(-size) <= MAX_PENDING_BYTES / 2
            && !channel.config().isAutoRead()) {
          channel.config().setAutoRead(true);
        }
      }
    });
  }

  /** On the worker: the message's effect, an error, or the end of the connection. */
  private void process(FrontendMessage message) {
    try {
      PgSession current = session;
      if (current != null) {
        if (!current.handle(message)) {
          closeQuietly();
        }
      } else if (login == null) {
        login = new Login(new Login.Context(shared, output, client.getAddress()
            .getHostAddress(), client.getPort(), tls));
        login.start(message);
      } else {
        PgSession opened = login.answer(message);
        if (opened != null) {
          session = opened;
          login = null;
          shared.opened(this);
          opened.greet(shared.cancelKeys().register(opened.session()));
        }
      }
    } catch (FatalError e) {
      fatal(e.state(), e.getMessage());
    } catch (ProtocolViolation e) {
      fatal(e.sqlState(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly();
    } catch (RuntimeException e) {
      LOG.error("PostgreSQL connection from {} failed", client, e);
      fatal(SqlState.INTERNAL_ERROR, "internal error");
    }
  }

  /**
   * Ends the connection with a FATAL error: a logged-in one on the worker, after what it is
   * doing (its session ended: a drain, CANCEL SESSION, an idle timeout, the server stopping),
   * one still logging in at once.
   */
  void terminate(SqlState state, String message) {
    if (session == null) {
      channel.eventLoop().execute(() -> {
        if (!ending.get()) {
          refuse(channel.pipeline().context(this), state, message);
        }
      });
      return;
    }
    worker.execute(() -> {
      if (!ending.get()) {
        fatal(state, message);
      }
    });
  }

  /** A FATAL ErrorResponse, then the end of the connection. */
  private void fatal(SqlState state, String message) {
    BackendMessages.error(output.buffer(), BackendMessages.Severity.FATAL, state.code(),
        message);
    ending.set(true);
    output.sendAndClose();
  }

  private void closeQuietly() {
    ending.set(true);
    channel.close();
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    output.wake();
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * The socket has closed: the session ends at once, cancelling its running query, and the
   * worker then closes the embedded connection.
   */
  @Override public void channelInactive(ChannelHandlerContext ctx) {
    ending.set(true);
    output.wake();
    shared.closed(this);
    if (session != null) {
      // Off the event loop: ending a session audits the query it cancels in the catalog.
      shared.workers().execute(() -> session.end());
    }
    worker.execute(this::end);
    ctx.fireChannelInactive();
  }

  /** On the worker, once the connection has ended: the session's resources go. */
  private void end() {
    PgSession current = session;
    if (current != null) {
      shared.cancelKeys().unregister(current.session());
      current.end();
      current.close();
    }
    output.discard();
  }

  /** On the event loop: a FATAL error at once, then the end of the connection. */
  private void refuse(ChannelHandlerContext ctx, SqlState state, String message) {
    ByteBuf out = ctx.alloc().buffer();
    BackendMessages.error(out, BackendMessages.Severity.FATAL, state.code(), message);
    ending.set(true);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable e = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (e instanceof ProtocolViolation violation) {
      // From the decoder: the stream is out of step, so the error goes out at once.
      refuse(ctx, violation.sqlState(), violation.getMessage());
      return;
    }
    if (!(e instanceof IOException)) {
      LOG.warn("PostgreSQL connection from {} failed: {}", client, e.toString());
    }
    ctx.close();
  }
}
