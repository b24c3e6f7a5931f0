package io.quell.client;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.Meta;

import java.io.InputStream;
import java.io.Reader;
import java.sql.NClob;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;

/**
 * A prepared statement of a {@link QuellConnection}, which does its work; the setters are
 * those of Avatica's JDBC 4.1 prepared statement.
 */
final class QuellPreparedStatement extends AvaticaPreparedStatement {
  QuellPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
      Meta.Signature signature, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  private QuellConnection session() {
    return (QuellConnection) connection;
  }

  /** As {@link QuellStatement#cancel()}. */
  @Override public void cancel() throws SQLException {
    checkOpen();
    session().cancelRunningQuery();
  }

  @Override protected void checkOpen() throws SQLException {
    session().checkOpen(this);
  }

  @Override public synchronized void close() throws SQLException {
    session().close(() -> {
      super.close();
      return null;
    });
  }

  @Override public void setRowId(int parameterIndex, RowId x) throws SQLException {
    getSite(parameterIndex).setRowId(x);
  }

  @Override public void setNString(int parameterIndex, String value) throws SQLException {
    getSite(parameterIndex).setNString(value);
  }

  @Override public void setNCharacterStream(int parameterIndex, Reader value, long length)
      throws SQLException {
    getSite(parameterIndex).setNCharacterStream(value, length);
  }

  @Override public void setNClob(int parameterIndex, NClob value) throws SQLException {
    getSite(parameterIndex).setNClob(value);
  }

  @Override public void setClob(int parameterIndex, Reader reader, long length)
      throws SQLException {
    getSite(parameterIndex).setClob(reader, length);
  }

  @Override public void setBlob(int parameterIndex, InputStream inputStream, long length)
      throws SQLException {
    getSite(parameterIndex).setBlob(inputStream, length);
  }

  @Override public void setNClob(int parameterIndex, Reader reader, long length)
      throws SQLException {
    getSite(parameterIndex).setNClob(reader, length);
  }

  @Override public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    getSite(parameterIndex).setSQLXML(xmlObject);
  }

  @Override public void setAsciiStream(int parameterIndex, InputStream x, long length)
      throws SQLException {
    getSite(parameterIndex).setAsciiStream(x, length);
  }

  @Override public void setBinaryStream(int parameterIndex, InputStream x, long length)
      throws SQLException {
    getSite(parameterIndex).setBinaryStream(x, length);
  }

  @Override public void setCharacterStream(int parameterIndex, Reader reader, long length)
      throws SQLException {
    getSite(parameterIndex).setCharacterStream(reader, length);
  }

  @Override public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    getSite(parameterIndex).setAsciiStream(x);
  }

  @Override public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    getSite(parameterIndex).setBinaryStream(x);
  }

  @Override public void setCharacterStream(int parameterIndex, Reader reader)
      throws SQLException {
    getSite(parameterIndex).setCharacterStream(reader);
  }

  @Override public void setNCharacterStream(int parameterIndex, Reader value)
      throws SQLException {
    getSite(parameterIndex).setNCharacterStream(value);
  }

  @Override public void setClob(int parameterIndex, Reader reader) throws SQLException {
    getSite(parameterIndex).setClob(reader);
  }

  @Override public void setBlob(int parameterIndex, InputStream inputStream)
      throws SQLException {
    getSite(parameterIndex).setBlob(inputStream);
  }

  @Override public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    getSite(parameterIndex).setNClob(reader);
  }
}
