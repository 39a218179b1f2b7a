package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.engine.Planner;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** A planner told which files still hold what their ledger rows recorded takes the rows' digests for them, and only for them. */
class PlannerTrustIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void onlyTheFilesThePredicateAcceptsTakeTheirLedgerRowsDigestWithoutBeingRead() throws Exception {
        db.write("1_items.sql", "create table items (id int);\n");
        db.write("2_tags.sql", "create table tags (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        // Both rows now say other statements than their files hold, as after an edit.
        db.execute("UPDATE supabase_migrations.schema_migrations SET statements = ARRAY['create table other (id int)']");

        Planner planner = new Planner(db.folder(), null, "test");
        try (Connection conn = TestPostgres.connect(db.url())) {
            assertThat(states(planner.plan(conn, planner.scan()))).containsExactly(MigrationState.MODIFIED, MigrationState.MODIFIED);

            Planner trusting = planner.trustingLedgerFor(f -> f.version().equals("1"));
            assertThat(states(trusting.plan(conn, trusting.scan()))).containsExactly(MigrationState.APPLIED, MigrationState.MODIFIED);
        }
    }

    private static java.util.List<MigrationState> states(Plan plan) {
        return plan.entries().stream().map(e -> e.state()).toList();
    }
}
