package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/**
 * The first file of a run is split while its first statements already run. What the split finds
 * further down still stops the file before anything is committed, as if it had been found first.
 * A file that starts with the gate has enough statements after it (three sends' worth) that
 * pgshift waits for the gate's statement before it reaches the end of the file, so the test sees
 * the first statement running before anything further down is looked at.
 */
class StreamedFirstFileIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private static String rows(int n) {
        StringBuilder sql = new StringBuilder("create table seeds (id int primary key);\n");
        for (int i = 0; i < n; i++) {
            sql.append("insert into seeds values (").append(i).append(");\n");
        }
        return sql.toString();
    }

    /** Runs apply until the first file waits at the gate, then opens the gate and returns what apply said. */
    private Cli.Result applyThroughTheGate() throws Exception {
        CompletableFuture<Cli.Result> apply;
        try (Connection gate = db.closeTheGate()) {
            apply = CompletableFuture.supplyAsync(() -> db.pgshift("apply"));
            await("the first statement running").atMost(Duration.ofSeconds(30)).until(() -> db.waitingAtTheGate() == 1);
        }
        return apply.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void anUnterminatedQuoteFoundAfterTheFirstStatementsRanRollsTheFileBack() throws Exception {
        db.write("1_seeds.sql", MigrationDb.GATE + rows(3000) + "insert into seeds values ('oops);\n");

        Cli.Result r = applyThroughTheGate();

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("1_seeds.sql:3003:").contains("never closed");
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.tableExists("seeds")).isFalse();
    }

    @Test
    void anEndFoundAfterTheFirstStatementsRanIsRefusedAndTheFileRolledBack() throws Exception {
        // END commits like COMMIT; unlike COMMIT, the words check does not make pgshift wait for the split.
        db.write("1_seeds.sql", MigrationDb.GATE + rows(3000) + "end;\ninsert into seeds values (-1);\n");
        db.write("2_more.sql", "create table more (id int);\n");

        Cli.Result r = applyThroughTheGate();

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("1_seeds.sql:3003:1: end would end or restart the transaction");
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.tableExists("seeds")).isFalse();
        assertThat(db.tableExists("more")).isFalse();
    }

    @Test
    void theFirstFilesRefusalIsReportedBeforeALaterFilesOne() throws Exception {
        db.write("1_seeds.sql", rows(600) + "commit;\n");
        db.write("2_broken.sql", "select 'never closed;\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("1_seeds.sql:602:1: commit would end or restart the transaction")
                .doesNotContain("2_broken.sql");
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aBrokenLaterFileStopsTheRunBeforeTheFirstFileRuns() throws Exception {
        db.write("1_seeds.sql", rows(600));
        db.write("2_broken.sql", "select 'never closed;\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("2_broken.sql:1:").contains("never closed");
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.tableExists("seeds")).isFalse();
    }

    @Test
    void aFirstFileWithANoTransactionStatementFarDownRunsStatementByStatement() throws Exception {
        db.write("1_seeds.sql", rows(600) + "create index concurrently seeds_idx on seeds (id);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out() + r.err()).contains("one at a time");
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.value("select count(*) from seeds")).isEqualTo("600");
        assertThat(db.value("select indisvalid from pg_index where indexrelid = 'seeds_idx'::regclass")).isEqualTo("t");
    }
}
