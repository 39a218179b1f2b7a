package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import pgshift.config.DatabaseUrl;
import pgshift.db.Database;
import pgshift.testing.TestPostgres;

/** Connections: Ctrl-C cancels a running statement on the server; the shell's pool resets and reconnects. */
class DatabaseIT {

    @Test
    void cancelRunningStopsTheStatementOnTheServer() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("cancel");
        Database db = Database.open(url, null);
        assertThat(db.cancelRunning(Thread.currentThread())).as("nothing open yet").isFalse();
        try (Connection conn = db.connection()) {
            CompletableFuture<SQLException> running = CompletableFuture.supplyAsync(() -> {
                try (Statement st = conn.createStatement()) {
                    st.execute("select pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // Wait until the server reports the sleep as running, then cancel it.
            for (int i = 0; i < 200 && !TestPostgres.isRunning(url, "select pg_sleep(30)"); i++) {
                Thread.onSpinWait();
            }
            assertThat(db.cancelRunning(Thread.currentThread())).isTrue();
            SQLException error = running.get(5, TimeUnit.SECONDS);
            assertThat((Object) error).isNotNull();
            assertThat(error.getSQLState()).isEqualTo("57014");
        }
    }

    @Test
    void pooledConnectionsComeBackResetAndReconnectWithANotice() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("pool");
        List<String> notices = new ArrayList<>();
        try (Database db = Database.pooled(url, null, notices::add)) {
            int firstPid;
            try (Connection conn = db.connection(); Statement st = conn.createStatement()) {
                firstPid = pid(st);
                st.execute("create schema elsewhere");
                st.execute("set search_path = elsewhere");
                conn.setAutoCommit(false);
                st.execute("create table left_open (id int)");
            }
            try (Connection conn = db.connection(); Statement st = conn.createStatement()) {
                assertThat(pid(st)).as("the same server session, kept warm").isEqualTo(firstPid);
                assertThat(conn.getAutoCommit()).isTrue();
                assertThat(single(st, "show search_path")).isEqualTo("\"$user\", public");
                assertThat(single(st, "select to_regclass('elsewhere.left_open')::text")).as("the open transaction was rolled back").isNull();
            }
            // The server ends the session under the pool (as a restart does): the next command reconnects.
            try (Connection admin = TestPostgres.connect(url); Statement st = admin.createStatement()) {
                st.execute("select pg_terminate_backend(" + firstPid + ")");
            }
            assertThat(notices).isEmpty();
            try (Connection conn = db.connection(); Statement st = conn.createStatement()) {
                assertThat(pid(st)).isNotEqualTo(firstPid);
            }
            assertThat(notices).singleElement().asString().startsWith("Reconnected to " + url.masked());
        }
    }

    private static int pid(Statement st) throws SQLException {
        return Integer.parseInt(single(st, "select pg_backend_pid()"));
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
