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

import org.junit.jupiter.api.Test;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.db.History;
import pgshift.db.MigrationLock;
import pgshift.testing.TestPostgres;

/** The migration lock on a direct connection: the session lock's timeout message, and the per-file lock. */
class MigrationLockIT {

    @Test
    void theTimeoutNamesTheHoldersPidInTheCommandThatEndsIt() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_pid");
        List<String> notices = new ArrayList<>();
        try (Connection holder = TestPostgres.connect(url);
             MigrationLock held = MigrationLock.acquire(holder, Duration.ofSeconds(5), notices::add);
             Connection second = TestPostgres.connect(url)) {
            int holderPid = pid(holder);
            assertThatThrownBy(() -> MigrationLock.acquire(second, Duration.ofMillis(200), notices::add))
                    .isInstanceOf(PgshiftException.class)
                    .hasMessageContaining("held by pid " + holderPid + " (")
                    .hasMessageContaining("SELECT pg_terminate_backend(" + holderPid + ").")
                    .hasMessageNotContaining("<pid>");
            assertThat(notices).singleElement().asString().contains("held by pid " + holderPid + " (");
        }
    }

    @Test
    void aFileLockHoldsUntilTheTransactionEndsAndTheLedgerSaysWhatIsPending() throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("lock_file");
        try (Connection a = TestPostgres.connect(url); Connection b = TestPostgres.connect(url)) {
            assertThatThrownBy(() -> MigrationLock.lockForFile(a, Duration.ofSeconds(1), n -> { }))
                    .as("autocommit would release the lock at once").isInstanceOf(IllegalStateException.class);
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            MigrationLock.lockForFile(a, Duration.ofSeconds(1), n -> { });
            assertThat(MigrationLock.stillPending(a, "1")).as("no ledger yet").isTrue();
            List<String> notices = new ArrayList<>();
            assertThatThrownBy(() -> MigrationLock.lockForFile(b, Duration.ofMillis(200), notices::add))
                    .hasMessageContaining("pg_terminate_backend(" + pid(a) + ")");
            assertThat(notices).singleElement().asString().contains("held by pid " + pid(a));
            b.rollback();
            History.ensureTables(a);
            try (Statement st = a.createStatement()) {
                st.execute("INSERT INTO " + History.LEDGER + " (version, name) VALUES ('1', 'one')");
            }
            assertThat(MigrationLock.stillPending(a, "1")).isFalse();
            assertThat(MigrationLock.stillPending(a, "2")).isTrue();
            a.commit();
            MigrationLock.lockForFile(b, Duration.ofSeconds(1), n -> { });
            assertThat(MigrationLock.stillPending(b, "1")).as("committed before b locked").isFalse();
            b.rollback();
        }
    }

    static int pid(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
