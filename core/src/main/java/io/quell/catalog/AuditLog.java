package io.quell.catalog;

import io.quell.session.ActivityKind;
import io.quell.session.CancelCause;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The audit of cancellations, kept in the catalog database in the order they happened. */
public final class AuditLog {
  private final CatalogDatabase database;

  AuditLog(CatalogDatabase database) {
    this.database = database;
  }

  public void record(CancellationRecord r) {
    database.transaction(db -> {
      try (PreparedStatement st = db.prepareStatement("INSERT INTO cancellations (time, "
          + "canceled_by, target, target_id, target_user, cause, statement, message) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        st.setTimestamp(1, Timestamp.from(r.time()));
        st.setString(2, r.canceller());
        st.setString(3, r.targetKind().name());
        st.setString(4, r.targetId());
        st.setString(5, r.targetUser());
        st.setString(6, r.cause().name());
        st.setString(7, r.statement());
        st.setString(8, r.message());
        st.executeUpdate();
      }
      return null;
    });
  }

  /** Every record, oldest first. */
  public List<CancellationRecord> list() {
    return database.read(db -> {
      List<CancellationRecord> list = new ArrayList<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT time, "
          + "canceled_by, target, target_id, target_user, cause, statement, message "
          + "FROM cancellations "
          + "ORDER BY id")) {
        while (rs.next()) {
          list.add(new CancellationRecord(rs.getTimestamp("time").toInstant(),
              rs.getString("canceled_by"), ActivityKind.valueOf(rs.getString("target")),
              rs.getString("target_id"), rs.getString("target_user"),
              CancelCause.valueOf(rs.getString("cause")), rs.getString("statement"),
              rs.getString("message")));
        }
      }
      return list;
    });
  }
}
