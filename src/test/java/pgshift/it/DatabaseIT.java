package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import pgshift.config.DatabaseUrl;
import pgshift.db.Database;
import pgshift.testing.TestPostgres;

/** The connection side of Ctrl-C: a running statement is cancelled on the server. */
class DatabaseIT {

    @Test
    void cancelRunningStopsTheStatementOnTheServer() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("cancel");
        Database db = Database.open(url, null);
        assertThat(db.cancelRunning()).as("nothing open yet").isFalse();
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
            for (int i = 0; i < 200 && !sleeping(url); i++) {
                Thread.onSpinWait();
            }
            assertThat(db.cancelRunning()).isTrue();
            SQLException error = running.get(5, TimeUnit.SECONDS);
            assertThat((Object) error).isNotNull();
            assertThat(error.getSQLState()).isEqualTo("57014");
        }
    }

    private static boolean sleeping(DatabaseUrl url) {
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }
}
