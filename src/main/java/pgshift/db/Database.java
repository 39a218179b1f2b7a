package pgshift.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import pgshift.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.config.Secrets;

/** The connection pool: the only place that opens connections to the target database. */
public final class Database implements AutoCloseable {

    static {
        // StatementRunner reads the failing batch entry from one of pgjdbc's messages; keep them untranslated.
        Locale.setDefault(Locale.ENGLISH);
    }

    private final DatabaseUrl url;
    private final HikariDataSource pool;

    private Database(DatabaseUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    /** Opens the pool and one connection, failing fast with a clear message when the server is unreachable. */
    public static Database open(DatabaseUrl url, String source) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgshift");
        config.setJdbcUrl(url.jdbcUrl());
        Properties props = url.connectionProperties();
        props.putIfAbsent("ApplicationName", "pgshift");
        config.setDataSourceProperties(props);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1);
        try {
            return new Database(url, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            throw unreachable(url, source, e.getCause() != null ? e.getCause() : e);
        }
    }

    public DatabaseUrl url() {
        return url;
    }

    /** Borrows a connection; give it back with close(). */
    public Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw unreachable(url, null, e);
        }
    }

    static PgshiftException unreachable(DatabaseUrl url, String source, Throwable cause) {
        String why = Secrets.mask(String.valueOf(cause.getMessage())).replace('\n', ' ');
        return PgshiftException.config("Cannot connect to " + url.masked()
                + (source == null ? "" : " (from " + source + ")") + ": " + why
                + ". Check that the server is running and reachable and that the URL, user and password are right.",
                cause);
    }

    @Override
    public void close() {
        pool.close();
    }
}
