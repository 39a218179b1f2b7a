package pgshift.db;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;

/**
 * A connection lent by {@link ConnectionPool}: everything goes to the real connection, except
 * {@code close()}, which hands it back instead of closing it. Commands use it in
 * try-with-resources exactly like a connection of their own.
 */
final class PooledConnection implements Connection {

    private final Connection real;
    private final ConnectionPool pool;
    private volatile boolean handedBack;

    PooledConnection(Connection real, ConnectionPool pool) {
        this.real = real;
        this.pool = pool;
    }

    Connection real() {
        return real;
    }

    private Connection open() throws SQLException {
        if (handedBack) {
            throw new SQLException("This connection was handed back to the pool", "08003");
        }
        return real;
    }

    @Override
    public void close() {
        if (!handedBack) {
            handedBack = true;
            pool.giveBack(real);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return handedBack || real.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : open().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || open().isWrapperFor(type);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return open().createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String a) throws SQLException {
        return open().prepareStatement(a);
    }

    @Override
    public CallableStatement prepareCall(String a) throws SQLException {
        return open().prepareCall(a);
    }

    @Override
    public String nativeSQL(String a) throws SQLException {
        return open().nativeSQL(a);
    }

    @Override
    public void setAutoCommit(boolean a) throws SQLException {
        open().setAutoCommit(a);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return open().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        open().commit();
    }

    @Override
    public void rollback() throws SQLException {
        open().rollback();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return open().getMetaData();
    }

    @Override
    public void setReadOnly(boolean a) throws SQLException {
        open().setReadOnly(a);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return open().isReadOnly();
    }

    @Override
    public void setCatalog(String a) throws SQLException {
        open().setCatalog(a);
    }

    @Override
    public String getCatalog() throws SQLException {
        return open().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int a) throws SQLException {
        open().setTransactionIsolation(a);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return open().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return open().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        open().clearWarnings();
    }

    @Override
    public Statement createStatement(int a, int b) throws SQLException {
        return open().createStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b, int c) throws SQLException {
        return open().prepareStatement(a, b, c);
    }

    @Override
    public CallableStatement prepareCall(String a, int b, int c) throws SQLException {
        return open().prepareCall(a, b, c);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return open().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a) throws SQLException {
        open().setTypeMap(a);
    }

    @Override
    public void setHoldability(int a) throws SQLException {
        open().setHoldability(a);
    }

    @Override
    public int getHoldability() throws SQLException {
        return open().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return open().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a) throws SQLException {
        return open().setSavepoint(a);
    }

    @Override
    public void rollback(Savepoint a) throws SQLException {
        open().rollback(a);
    }

    @Override
    public void releaseSavepoint(Savepoint a) throws SQLException {
        open().releaseSavepoint(a);
    }

    @Override
    public Statement createStatement(int a, int b, int c) throws SQLException {
        return open().createStatement(a, b, c);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b, int c, int d) throws SQLException {
        return open().prepareStatement(a, b, c, d);
    }

    @Override
    public CallableStatement prepareCall(String a, int b, int c, int d) throws SQLException {
        return open().prepareCall(a, b, c, d);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b) throws SQLException {
        return open().prepareStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int[] b) throws SQLException {
        return open().prepareStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, String[] b) throws SQLException {
        return open().prepareStatement(a, b);
    }

    @Override
    public Clob createClob() throws SQLException {
        return open().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return open().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return open().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return open().createSQLXML();
    }

    @Override
    public boolean isValid(int a) throws SQLException {
        return open().isValid(a);
    }

    @Override
    public void setClientInfo(String a, String b) throws SQLClientInfoException {
        real.setClientInfo(a, b);
    }

    @Override
    public void setClientInfo(Properties a) throws SQLClientInfoException {
        real.setClientInfo(a);
    }

    @Override
    public String getClientInfo(String a) throws SQLException {
        return open().getClientInfo(a);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return open().getClientInfo();
    }

    @Override
    public Array createArrayOf(String a, Object[] b) throws SQLException {
        return open().createArrayOf(a, b);
    }

    @Override
    public Struct createStruct(String a, Object[] b) throws SQLException {
        return open().createStruct(a, b);
    }

    @Override
    public void setSchema(String a) throws SQLException {
        open().setSchema(a);
    }

    @Override
    public String getSchema() throws SQLException {
        return open().getSchema();
    }

    @Override
    public void abort(java.util.concurrent.Executor a) throws SQLException {
        open().abort(a);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor a, int b) throws SQLException {
        open().setNetworkTimeout(a, b);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return open().getNetworkTimeout();
    }
}
