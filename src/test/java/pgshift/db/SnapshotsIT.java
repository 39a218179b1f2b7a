package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** Snapshots on a real server: the copy strategy chosen from its settings, and a copy that holds the database. */
class SnapshotsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void theCopyStrategyFollowsTheServersVersionAndFsyncSetting() throws Exception {
        try (Connection admin = TestPostgres.connect(TestPostgres.admin()); Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('fsync')")) {
            rs.next();
            boolean fileCopy = rs.getInt(1) >= 150000 && rs.getString(2).equals("off");
            assertThat(Snapshots.copyStrategy(admin)).isEqualTo(fileCopy ? " STRATEGY FILE_COPY" : "");
        }
    }

    @Test
    void aSnapshotHoldsTheDatabaseAsItWasAndIsNotTakenWhileAnotherSessionStays() throws Exception {
        db.execute("create table items (id int primary key); insert into items values (1), (2)");
        Snapshots snapshots = new Snapshots(db.url(), notice -> { });
        String state = "0123456789abcdef0123456789abcdef";
        try (Connection admin = snapshots.admin()) {
            assertThat(snapshots.take(admin, Snapshots.Kind.RESET, state, "after 1")).isTrue();
            Snapshots.Snapshot taken = Snapshots.find(snapshots.list(admin), Snapshots.Kind.RESET, state);
            assertThat(taken).isNotNull();
            try (Connection copy = TestPostgres.connect(db.url().withDatabase(taken.name()));
                 Statement st = copy.createStatement();
                 ResultSet rs = st.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM items")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1,2");
            }
            snapshots.drop(admin, taken);

            try (Connection app = TestPostgres.connect(db.url())) { // an app's session, there for a second or more
                org.awaitility.Awaitility.await("the app's session to be a second old").atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> settledSessions(admin, db.url().database()) > 0);
                assertThat(snapshots.take(admin, Snapshots.Kind.RESET, state, "after 1")).isFalse();
                assertThat(Snapshots.find(snapshots.list(admin), Snapshots.Kind.RESET, state)).isNull();
            }
        }
    }

    private static String items(pgshift.config.DatabaseUrl url) throws Exception {
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM items")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String comment() throws Exception {
        try (Connection admin = TestPostgres.connect(TestPostgres.admin());
             var ps = admin.prepareStatement("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db.url().database());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static java.util.List<String> spares(Snapshots snapshots, Connection admin) throws Exception {
        return snapshots.list(admin).stream().filter(s -> s.kind() == Snapshots.Kind.SPARE).map(Snapshots.Snapshot::name).toList();
    }

    @Test
    void aRestoreRenamesASpareCopyOfTheSnapshotIntoPlaceButNotOneOfASnapshotMadeAgainSince() throws Exception {
        db.execute("create table items (id int primary key); insert into items values (1)");
        Snapshots snapshots = new Snapshots(db.url(), notice -> { });
        String state = "0123456789abcdef0123456789abcdef";
        try (Connection admin = snapshots.admin()) {
            assertThat(snapshots.take(admin, Snapshots.Kind.WATCH, state, "after 1")).isTrue();
            snapshots.makeSpare(state).join();
            assertThat(spares(snapshots, admin)).singleElement().asString().startsWith("pgshift_s_");
            db.execute("insert into items values (2)");

            Snapshots.Restore restored = snapshots.restore(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
            snapshots.awaitDrops();

            assertThat(restored.fromSpare()).isTrue();
            assertThat(items(db.url())).isEqualTo("1");
            assertThat(spares(snapshots, admin)).isEmpty(); // it is the database now
            assertThat(comment()).as("the database's comment, not the spare's").isNull();
            try (Statement st = admin.createStatement()) {
                st.execute("COMMENT ON DATABASE \"" + db.url().database() + "\" IS 'the app''s database'");
            }

            // The snapshot made again under the same name (now holding 1 and 2): the spare made before copies the old one.
            snapshots.makeSpare(state).join();
            db.execute("insert into items values (2)");
            Snapshots.Snapshot old = Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state);
            snapshots.drop(admin, old);
            assertThat(snapshots.take(admin, Snapshots.Kind.WATCH, state, "after 1")).isTrue();
            db.execute("insert into items values (3)");

            restored = snapshots.restore(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
            snapshots.awaitDrops();

            assertThat(restored.fromSpare()).isFalse();
            assertThat(items(db.url())).isEqualTo("1,2");
            assertThat(comment()).isEqualTo("the app's database");
            snapshots.makeSpare(state).join();
            assertThat(snapshots.restore(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state)).fromSpare()).isTrue();
            snapshots.awaitDrops();
            assertThat(comment()).isEqualTo("the app's database");
            assertThat(spares(snapshots, admin)).as("the stale spare is dropped").isEmpty();
            snapshots.drop(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
        }
    }

    @Test
    void aSpareSomeoneIsConnectedToIsNotUsedAndASpareOfNoSnapshotIsNotMade() throws Exception {
        db.execute("create table items (id int primary key); insert into items values (1)");
        Snapshots snapshots = new Snapshots(db.url(), notice -> { });
        String state = "fedcba9876543210fedcba9876543210";
        try (Connection admin = snapshots.admin()) {
            snapshots.makeSpare(state).join(); // no snapshot holds that state yet
            assertThat(spares(snapshots, admin)).isEmpty();

            assertThat(snapshots.take(admin, Snapshots.Kind.WATCH, state, "after 1")).isTrue();
            snapshots.makeSpare(state).join();
            String spare = spares(snapshots, admin).get(0);
            db.execute("insert into items values (2)");
            try (Connection intruder = TestPostgres.connect(db.url().withDatabase(spare))) {
                assertThat(intruder.isValid(2)).isTrue();

                Snapshots.Restore restored = snapshots.restore(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
                snapshots.awaitDrops();

                assertThat(restored.fromSpare()).isFalse();
                assertThat(items(db.url())).isEqualTo("1");
                assertThat(spares(snapshots, admin)).isEmpty();
            }
            snapshots.drop(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
        }
    }

    @Test
    void makingASpareDropsADeadWatchsSpareButKeepsARunningOnesOfTheSameDatabase() throws Exception {
        db.execute("create table items (id int primary key); insert into items values (1)");
        Snapshots snapshots = new Snapshots(db.url(), notice -> { });
        String state = "0123456789abcdef0123456789abcdef";
        String dead = pgshift.testing.LeftSnapshots.make(db.url(), Snapshots.Kind.SPARE, "1111111111111111",
                pgshift.testing.LeftSnapshots.GONE);
        String running = pgshift.testing.LeftSnapshots.make(db.url(), Snapshots.Kind.SPARE, "2222222222222222", 1); // pid 1 lives
        try (Connection admin = snapshots.admin()) {
            assertThat(snapshots.take(admin, Snapshots.Kind.WATCH, state, "after 1")).isTrue();

            snapshots.makeSpare(state).join();

            assertThat(spares(snapshots, admin)).containsExactlyInAnyOrder(running, snapshots.name(Snapshots.Kind.SPARE, state));
            assertThat(pgshift.testing.LeftSnapshots.exists(dead)).isFalse();
            snapshots.drop(admin, Snapshots.find(snapshots.list(admin), Snapshots.Kind.WATCH, state));
        } finally {
            pgshift.testing.LeftSnapshots.drop(running);
            pgshift.testing.LeftSnapshots.drop(snapshots.name(Snapshots.Kind.SPARE, state));
        }
    }

    private static int settledSessions(Connection admin, String database) throws Exception {
        try (var ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                + "AND backend_start < now() - interval '1 second'")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
