package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.db.History;
import pgshift.db.LockWaitWatch;
import pgshift.db.MigrationLock;
import pgshift.testing.TestPgBouncer;
import pgshift.testing.TestPostgres;

/**
 * Through a real PgBouncer in transaction mode: the session lock keeps nobody out, the per-file
 * transaction lock with the ledger check lets exactly one run apply a version, and the lock-wait
 * watch finds the file's server session by the pid read inside its transaction.
 */
class PoolerIT {

    private static final String VERSION = "20250101000000";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theSessionLockHoldsOnADirectConnectionButNotThroughTheTransactionPooler() throws Exception {
        DatabaseUrl direct = TestPostgres.freshDatabase("pooler_session");
        DatabaseUrl pooled = TestPgBouncer.transactionMode().through(direct);

        try (Connection a = TestPostgres.connect(direct); MigrationLock held = MigrationLock.acquire(a, WAIT, n -> { });
             Connection b = TestPostgres.connect(direct)) {
            assertThatThrownBy(() -> MigrationLock.acquire(b, Duration.ofMillis(200), n -> { }))
                    .as("direct: the second run is kept out").isInstanceOf(PgshiftException.class);
        }

        List<String> waited = new CopyOnWriteArrayList<>();
        try (Connection a = TestPostgres.connect(pooled); Connection b = TestPostgres.connect(pooled);
             MigrationLock first = MigrationLock.acquire(a, WAIT, waited::add);
             MigrationLock second = MigrationLock.acquire(b, Duration.ofMillis(200), waited::add)) {
            assertThat(waited).as("the second client 'acquired' the lock at once").isEmpty();
            assertThat(advisoryHolders(direct)).as("one server session holds it, shared by both clients").hasSize(1);
        }
    }

    @Test
    void withTheFileLockTheSecondRunWaitsThenSeesTheVersionApplied() throws Exception {
        DatabaseUrl direct = TestPostgres.freshDatabase("pooler_file");
        DatabaseUrl pooled = TestPgBouncer.transactionMode().through(direct);
        createLedger(direct);
        List<String> waiting = new CopyOnWriteArrayList<>();
        try (Connection a = TestPostgres.connect(pooled); Connection b = TestPostgres.connect(pooled);
             Connection onlooker = TestPostgres.connect(pooled)) {
            a.setAutoCommit(false);
            MigrationLock.lockForFile(a, WAIT, n -> { });
            assertThat(MigrationLock.stillPending(a, VERSION)).isTrue();

            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> applyOnce(b, waiting::add));
            await().atMost(30, TimeUnit.SECONDS).until(() -> !waiting.isEmpty());
            assertThat(waiting).singleElement().asString().startsWith("Waiting up to 30 s for the migration lock, held by pid ");
            assertThat(MigrationLock.stillPending(onlooker, VERSION))
                    .as("without the lock, a second run would find the version pending now").isTrue();

            insertLedgerRow(a);
            a.commit();
            assertThat(second.get(30, TimeUnit.SECONDS)).as("the second run applied it too").isFalse();
        }
        assertThat(ledgerRows(direct)).isEqualTo(1);
    }

    @Test
    void concurrentRunsThroughThePoolerApplyEachVersionOnce() throws Exception {
        DatabaseUrl direct = TestPostgres.freshDatabase("pooler_race");
        DatabaseUrl pooled = TestPgBouncer.transactionMode().through(direct);
        createLedger(direct);
        CyclicBarrier start = new CyclicBarrier(2);
        List<String> waited = new CopyOnWriteArrayList<>();
        AtomicBoolean firstIn = new AtomicBoolean();
        List<CompletableFuture<Boolean>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try (Connection conn = TestPostgres.connect(pooled)) {
                    start.await(30, TimeUnit.SECONDS);
                    // The first run to hold the lock keeps it until the other has been refused it: the runs overlap.
                    return applyOnce(conn, waited::add, () -> {
                        if (firstIn.compareAndSet(false, true)) {
                            await().atMost(30, TimeUnit.SECONDS).until(() -> !waited.isEmpty());
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Boolean> applied = new ArrayList<>();
        for (CompletableFuture<Boolean> run : runs) {
            applied.add(run.get(60, TimeUnit.SECONDS));
        }
        assertThat(applied).containsExactlyInAnyOrder(true, false);
        assertThat(waited).singleElement().asString().startsWith("Waiting up to 30 s for the migration lock");
        assertThat(ledgerRows(direct)).isEqualTo(1);
    }

    @Test
    void theLockWaitWatchWorksThroughThePoolerWithThePidReadInTheFilesTransaction() throws Exception {
        DatabaseUrl direct = TestPostgres.freshDatabase("pooler_lock_wait");
        DatabaseUrl pooled = TestPgBouncer.transactionMode().through(direct);
        try (Connection setup = TestPostgres.connect(direct); Statement st = setup.createStatement()) {
            st.execute("CREATE TABLE t (id int)");
            st.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection app = TestPostgres.connect(direct); Connection migration = TestPostgres.connect(pooled)) {
            app.setAutoCommit(false);
            try (Statement st = app.createStatement()) {
                st.execute("UPDATE t SET id = 2");
            }
            int appPid = ((org.postgresql.PGConnection) app).getBackendPID();
            migration.setAutoCommit(false);
            int migrationPid = MigrationLockIT.pid(migration); // the server session of this transaction only
            List<String> notices = new CopyOnWriteArrayList<>();
            Supplier<Connection> opener = () -> {
                try {
                    return TestPostgres.connect(pooled);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            SQLException error;
            try (LockWaitWatch watch = LockWaitWatch.start(opener, migrationPid, Duration.ofSeconds(3), notices::add)) {
                error = catchThrowableOfType(() -> {
                    try (Statement st = migration.createStatement()) {
                        st.execute("ALTER TABLE t ADD COLUMN x int");
                    }
                }, SQLException.class);
                assertThat(error.getSQLState()).isEqualTo("57014");
                assertThat(watch.explain(error)).startsWith("Gave up after 3 s waiting for a lock on table t: held by pid " + appPid + " (");
            }
            migration.rollback();
            assertThat(notices).singleElement().asString().contains("held by pid " + appPid + " (");
            app.commit();
        }
    }

    /** What the runner does per file through a pooler: lock, check, apply and record, commit; true if it applied. */
    private static boolean applyOnce(Connection conn, java.util.function.Consumer<String> waiting) {
        return applyOnce(conn, waiting, () -> { });
    }

    /** As above, calling {@code locked} once this run holds the lock. */
    private static boolean applyOnce(Connection conn, java.util.function.Consumer<String> waiting, Runnable locked) {
        try {
            conn.setAutoCommit(false);
            MigrationLock.lockForFile(conn, WAIT, waiting);
            locked.run();
            boolean pending = MigrationLock.stillPending(conn, VERSION);
            if (pending) {
                insertLedgerRow(conn);
            }
            conn.commit();
            return pending;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insertLedgerRow(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + History.LEDGER + " (version, name) VALUES (?, 'x')")) {
            ps.setString(1, VERSION);
            ps.executeUpdate();
        }
    }

    private static void createLedger(DatabaseUrl direct) throws SQLException {
        try (Connection c = TestPostgres.connect(direct)) {
            History.ensureTables(c);
        }
    }

    private static int ledgerRows(DatabaseUrl direct) throws SQLException {
        try (Connection c = TestPostgres.connect(direct); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + History.LEDGER + " WHERE version = '" + VERSION + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The backends holding an advisory lock in this database. */
    private static List<Integer> advisoryHolders(DatabaseUrl direct) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = TestPostgres.connect(direct); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }
}
