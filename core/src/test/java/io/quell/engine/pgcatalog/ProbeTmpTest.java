package io.quell.engine.pgcatalog;

import static io.quell.testing.Sql.update;
import io.quell.engine.EngineFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

class ProbeTmpTest {
  @TempDir Path dir;
  @Test void probe() throws Exception {
    EngineFixture f = new EngineFixture(dir, 0.01);
    Connection root = f.connect("root");
    update(root, "CREATE VIEW v_nation AS SELECT n_name FROM nation");
    String only = Files.exists(Paths.get("/tmp/probe/files.txt")) ? Files.readString(Paths.get("/tmp/probe/files.txt")).trim() : "";
    StringBuilder out = new StringBuilder();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Paths.get("src/test/resources/pg-clients"), "*.sql")) {
      List<Path> files = new ArrayList<>(); ds.forEach(files::add); Collections.sort(files);
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (only.equals("none")) continue; if (!only.isEmpty() && !Arrays.asList(only.split(",")).contains(name)) continue;
        int i = 0;
        for (PgClientQueries.Query q : PgClientQueries.load(name).queries()) {
          String res;
          try (PreparedStatement s = root.prepareStatement(q.jdbcSql())) {
            for (int k = 1; k <= q.parameters().size(); k++) s.setString(k, q.parameters().get(k-1));
            try (ResultSet rs = s.executeQuery()) { int n = 0; while (rs.next()) n++; res = "OK " + n + " rows"; }
          } catch (SQLException e) { res = "ERR " + e.getSQLState() + " " + e.getMessage().replace('\n',' '); if (res.length() > 400) res = res.substring(0,400); }
          out.append(name).append('#').append(i++).append(": ").append(res).append('\n');
        }
      }
    }
    String extra = Files.exists(Paths.get("/tmp/probe/sql.txt")) ? Files.readString(Paths.get("/tmp/probe/sql.txt")).trim() : "";
    if (!extra.isEmpty()) for (String sql : extra.split("\n;;\n")) {
      try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount(); out.append("SQL ").append(sql).append('\n');
        while (rs.next()) { List<Object> r = new ArrayList<>(); for (int k=1;k<=n;k++) r.add(rs.getObject(k)); out.append("  ").append(r).append('\n'); }
      } catch (SQLException e) { out.append("SQL ").append(sql).append("\n  ERR ").append(e.getSQLState()).append(' ').append(e.getMessage()).append('\n'); }
    }
    Files.writeString(Paths.get("/tmp/probe/out.txt"), out.toString());
    f.close();
  }
}
