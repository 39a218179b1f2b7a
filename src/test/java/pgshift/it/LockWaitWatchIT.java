package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import pgshift.config.DatabaseUrl;
import pgshift.db.LockWaitWatch;
import pgshift.testing.TestPostgres;

/** A migration statement that waits for a lock the app holds: named after 2 s, cancelled at the timeout. */
class LockWaitWatchIT {

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    @Test
    void aDdlBehindAnIdleTransactionIsNamedThenCancelledAtTheTimeout() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_wait");
        try (Connection app = appHoldingARowLockOnT(url); Connection migration = TestPostgres.connect(url)) {
            int appPid = pidOf(app);
            migration.setAutoCommit(false);
            int migrationPid = MigrationLockIT.pid(migration);
            SQLException error;
            String explained;
            try (LockWaitWatch watch = LockWaitWatch.start(opener(url), migrationPid, Duration.ofSeconds(3), notices::add)) {
                error = catchThrowableOfType(() -> execute(migration, "ALTER TABLE t ADD COLUMN x int"), SQLException.class);
                assertThat(watch.timedOut()).isTrue();
                explained = watch.explain(error);
                assertThat(watch.blockerDescription()).startsWith("pid " + appPid + " (application myapp, idle in transaction for ");
            }
            migration.rollback();
            assertThat(error.getSQLState()).isEqualTo("57014");
            assertThat(notices).singleElement().asString()
                    .startsWith("Waiting for a lock on table t, held by pid " + appPid + " (application myapp, idle in transaction for ")
                    .contains("client 127.0.0.1,", "last query 'UPDATE t SET id = id + 1'")
                    .endsWith("Gives up after 3 s (--table-lock-timeout).");
            assertThat(explained)
                    .startsWith("Gave up after 3 s waiting for a lock on table t: held by pid " + appPid + " (application myapp, ")
                    .endsWith("End that session (SELECT pg_terminate_backend(" + appPid + ")) or raise --table-lock-timeout.");

            assertThat(opened).singleElement().satisfies(c -> assertThat(c.isClosed()).isTrue());
            assertThat(state(url, migrationPid)).as("the migration's session runs nothing").isEqualTo("idle");
            int watchPid = pidOf(opened.get(0));
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(state(url, watchPid)).as("the watch's session").isNull());
            app.commit(); // the app's transaction was left alone
        }
    }

    @Test
    void aWaitThatEndsBeforeTheTimeoutIsReportedOnceAndNotCancelled() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_wait_ends");
        try (Connection app = appHoldingARowLockOnT(url); Connection migration = TestPostgres.connect(url)) {
            int migrationPid = MigrationLockIT.pid(migration);
            try (LockWaitWatch watch = LockWaitWatch.start(opener(url), migrationPid, LockWaitWatch.DEFAULT_TIMEOUT, notices::add)) {
                CompletableFuture<Void> ddl = CompletableFuture.runAsync(() -> {
                    try {
                        execute(migration, "ALTER TABLE t ADD COLUMN x int");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(30, TimeUnit.SECONDS).until(() -> !notices.isEmpty());
                app.commit();
                ddl.get(30, TimeUnit.SECONDS);
                assertThat(watch.timedOut()).isFalse();
                assertThat(watch.explain(new SQLException("duplicate", "42701"))).isNull();
            }
            assertThat(notices).singleElement().asString().contains("Gives up after 60 s");
        }
    }

    @Test
    void aConcurrentIndexWaitingForOlderTransactionsIsNamedButNotCancelled() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_wait_cic");
        try (Connection app = appHoldingARowLockOnT(url); Connection migration = TestPostgres.connect(url)) {
            int appPid = pidOf(app);
            int migrationPid = MigrationLockIT.pid(migration);
            // A timeout shorter than the 2 s before the notice: by the notice, it has passed.
            try (LockWaitWatch watch = LockWaitWatch.start(opener(url), migrationPid, Duration.ofSeconds(1), notices::add)) {
                CompletableFuture<Void> index = CompletableFuture.runAsync(() -> {
                    try {
                        execute(migration, "CREATE INDEX CONCURRENTLY t_id ON t (id)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(30, TimeUnit.SECONDS).until(() -> !notices.isEmpty());
                app.commit();
                index.get(30, TimeUnit.SECONDS);
                assertThat(watch.timedOut()).isFalse();
            }
            assertThat(notices).singleElement().asString()
                    .startsWith("Waiting for older transactions to end, among them pid " + appPid + " (application myapp, ")
                    .endsWith("so pgshift keeps waiting: end those sessions to let it finish.");
            try (Statement st = migration.createStatement();
                 var rs = st.executeQuery("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass")) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void aFastStatementPassesWithoutANotice() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_wait_fast");
        try (Connection migration = TestPostgres.connect(url)) {
            execute(migration, "CREATE TABLE t (id int)");
            int migrationPid = MigrationLockIT.pid(migration);
            try (LockWaitWatch watch = LockWaitWatch.start(opener(url), migrationPid, Duration.ofSeconds(3), notices::add)) {
                execute(migration, "ALTER TABLE t ADD COLUMN x int");
                assertThat(watch.timedOut()).isFalse();
                assertThat(watch.explain(new SQLException("canceling statement due to user request", "57014"))).isNull();
                assertThat(watch.blockerDescription()).isNull();
            }
            assertThat(notices).isEmpty();
            assertThat(opened).as("a statement done before the watch's first look opens no connection").isEmpty();
        }
    }

    /** The app: a transaction that updated a row of t and then sat idle, as a forgotten BEGIN does. */
    private static Connection appHoldingARowLockOnT(DatabaseUrl url) throws SQLException {
        try (Connection setup = TestPostgres.connect(url)) {
            execute(setup, "CREATE TABLE t (id int)");
            execute(setup, "INSERT INTO t VALUES (1)");
        }
        Connection app = TestPostgres.connect(url);
        execute(app, "SET application_name = 'myapp'");
        app.setAutoCommit(false);
        execute(app, "UPDATE t SET id = id + 1");
        return app;
    }

    private Supplier<Connection> opener(DatabaseUrl url) {
        return () -> {
            try {
                Connection c = TestPostgres.connect(url);
                opened.add(c);
                return c;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void execute(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** The backend's state in pg_stat_activity, or null when it has gone. */
    private static String state(DatabaseUrl url, int pid) throws SQLException {
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT coalesce(state, '?') FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int pidOf(Connection conn) {
        return ((org.postgresql.PGConnection) conn).getBackendPID();
    }
}
