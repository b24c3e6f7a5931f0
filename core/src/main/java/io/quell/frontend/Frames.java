package io.quell.frontend;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.Meta.MetaResultSet;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.util.ByteString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Rows as a remote client receives them: in frames of lists, each value as Avatica's wire
 * formats carry it, read from the plan's own rows (Calcite's internal values, which the
 * signature's column representations describe, as its local driver reads them).
 */
final class Frames {
  /**
   * The rows in a statement's first frame at most, as Avatica's JDBC server sends them: a
   * client that reads a few rows of a large result does not wait for more.
   */
  static final int FIRST_FRAME_ROWS = 100;

  private Frames() {
  }

  /** How many rows the first frame holds when the client asks for {@code requested}. */
  static int firstFrameRows(int requested) {
    return requested <= 0 || requested > FIRST_FRAME_ROWS ? FIRST_FRAME_ROWS : requested;
  }

  /**
   * The next frame of {@code rows}, at offset {@code offset}: at most {@code limit} rows (all
   * if negative); done once the rows are exhausted, which a last frame knows without another
   * fetch.
   */
  static Frame next(Iterator<Object> rows, CursorFactory cursorFactory, long offset,
      int limit) {
    List<Object> frame = new ArrayList<>();
    while ((limit < 0 || frame.size() < limit) && rows.hasNext()) {
      frame.add(row(cursorFactory, rows.next()));
    }
    return new Frame(offset, !rows.hasNext(), frame);
  }

  /**
   * A metadata result of Calcite's Meta (rows of its catalog records, all in the first frame)
   * as a remote client reads it, under the client's connection id.
   */
  static MetaResultSet metadata(MetaResultSet result, String connectionId) {
    if (result.signature == null || result.firstFrame == null) {
      return result;
    }
    Frame frame = next(result.firstFrame.rows.iterator(), result.signature.cursorFactory, 0, -1);
    return MetaResultSet.create(connectionId, result.statementId, result.ownStatement,
        forClient(result.signature), frame);
  }

  /** {@code signature} as a client reads rows in frames: lists of values. */
  static Signature forClient(Signature signature) {
    return signature.cursorFactory.style == Meta.Style.LIST ? signature
        : signature.setCursorFactory(CursorFactory.LIST);
  }

  private static List<Object> row(CursorFactory cursorFactory, Object row) {
    List<Object> values = switch (cursorFactory.style) {
      case OBJECT -> Collections.singletonList(row);
      case ARRAY -> Arrays.asList((Object[]) row);
      default -> MetaImpl.collect(cursorFactory, Collections.singletonList(row),
          new ArrayList<>()).get(0);
    };
    List<Object> wire = new ArrayList<>(values.size());
    for (Object value : values) {
      // Calcite keeps binary values as ByteStrings, which neither wire format encodes.
      wire.add(value instanceof ByteString bytes ? bytes.getBytes() : value);
    }
    return wire;
  }
}
