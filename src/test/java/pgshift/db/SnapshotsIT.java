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
