package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.db.Database;
import pgshift.testing.TestPostgres;

/** Connections: one per command, the cancel handle Ctrl-C uses, and the notice when a server answers again. */
class DatabaseIT {

    @Test
    void cancelRunningStopsTheCommandsStatementOnTheServerAndRemembersIt() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("cancel");
        Database db = new Database(url, null, notice -> { });
        assertThat(db.cancelRunning()).as("nothing open yet").isFalse();
        try (Connection conn = db.connection(); Connection watch = db.backgroundConnection()) {
            CompletableFuture<SQLException> running = sleepOn(conn);
            CompletableFuture<SQLException> background = sleepOn(watch);
            awaitSleeps(url, 2);
            assertThat(db.wasCancelled(conn)).isFalse();
            assertThat(db.cancelRunning()).isTrue();
            SQLException error = running.get(10, TimeUnit.SECONDS);
            assertThat((Object) error).isNotNull();
            assertThat(error.getSQLState()).isEqualTo("57014");
            assertThat(db.wasCancelled(conn)).isTrue();
            assertThat(sleeps(url)).as("a background connection (a watch) is not the command's: on the server, its sleep still runs")
                    .isEqualTo(1);
            assertThat(background).as("a background connection (a watch) is not the command's").isNotDone();
            watch.unwrap(org.postgresql.PGConnection.class).cancelQuery();
            assertThat(background.get(10, TimeUnit.SECONDS).getSQLState()).isEqualTo("57014");
        }
        assertThat(db.cancelRunning()).as("closed connections are forgotten").isFalse();
    }

    @Test
    void eachCommandGetsAFreshSessionSoNothingLeaksBetweenCommands() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("fresh");
        Database db = new Database(url, null, notice -> { });
        int firstPid;
        try (Connection conn = db.connection(); Statement st = conn.createStatement()) {
            firstPid = Integer.parseInt(single(st, "select pg_backend_pid()"));
            st.execute("set search_path = elsewhere");
            st.execute("create temporary table scratch (id int)");
        }
        try (Connection conn = db.connection(); Statement st = conn.createStatement()) {
            assertThat(Integer.parseInt(single(st, "select pg_backend_pid()"))).isNotEqualTo(firstPid);
            assertThat(single(st, "show search_path")).isEqualTo("\"$user\", public");
            assertThat(single(st, "select to_regclass('pg_temp.scratch')::text")).isNull();
        }
    }

    @Test
    void aServerThatAnswersAgainAfterAFailedConnectGetsOneNotice() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("again");
        DatabaseUrl later = url.withDatabase(url.database() + "_later");
        List<String> notices = new ArrayList<>();
        Database db = new Database(later, "the test", notices::add);
        assertThatThrownBy(db::connection).isInstanceOf(PgshiftException.class)
                .hasMessageContaining("Cannot connect to " + later.masked() + " (from the test)");
        try (Connection admin = TestPostgres.connect(url); Statement st = admin.createStatement()) {
            st.execute("create database " + later.database());
        }
        try (Connection conn = db.connection()) {
            assertThat(conn.isValid(5)).isTrue();
        }
        try (Connection conn = db.connection()) {
            assertThat(conn.isValid(5)).isTrue();
        }
        assertThat(notices).containsExactly("Connected to " + later.masked() + " again.");
    }

    private static CompletableFuture<SQLException> sleepOn(Connection conn) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement st = conn.createStatement()) {
                st.execute("select pg_sleep(60)");
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    /** Waits until the server runs this many sleeps. */
    private static void awaitSleeps(DatabaseUrl url, int sleeping) {
        Awaitility.await("the sleeps start").atMost(Duration.ofSeconds(30)).until(() -> sleeps(url) >= sleeping);
    }

    private static int sleeps(DatabaseUrl url) throws SQLException {
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement()) {
            return Integer.parseInt(single(st, "select count(*) from pg_stat_activity where state = 'active' "
                    + "and query = 'select pg_sleep(60)'"));
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
