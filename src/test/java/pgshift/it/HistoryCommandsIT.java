package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** dry-run, mark-applied and mark-reverted: they change the ledger exactly as asked, and nothing else. */
class HistoryCommandsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @BeforeEach
    void writeThreeMigrations() throws Exception {
        db.write("1_accounts.sql", "create table accounts (id serial primary key, email text);\n");
        db.write("2_seed.sql", "insert into accounts (email) values ('a@example.com');\n"
                + "create function count_accounts() returns bigint language plpgsql as $$\n"
                + "begin\n  return (select count(*) from accounts);\nend;\n$$;\n");
        db.write("3_index.sql", "create index concurrently accounts_email_idx on accounts (email);\n");
    }

    @Test
    void dryRunRehearsesEverythingAndLeavesSchemaAndLedgerAsTheyWere() throws Exception {
        assertThat(db.pgshift("apply", "1").code()).isZero();
        String before = db.snapshot();

        Cli.Result r = db.pgshift("dry-run", "--in-place");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Dry-run of 2 migration(s)")
                .containsPattern("ok +2_seed.sql +\\(2 statement\\(s\\)")
                .contains("not rehearsed: line 1: create index concurrently accounts_email_idx")
                .contains("Rolled back: schema and ledger are as they were")
                .contains("Sequence values");
        assertThat(db.snapshot()).isEqualTo(before);
        assertThat(db.value("select count(*) from accounts")).isEqualTo("0");
    }

    @Test
    void dryRunOnAFreshDatabaseLeavesNoLedgerBehind() throws Exception {
        String before = db.snapshot();
        assertThat(db.pgshift("dry-run", "--to", "2").code()).isZero();
        assertThat(db.snapshot()).isEqualTo(before);
        assertThat(db.tableExists("supabase_migrations.schema_migrations")).isFalse();
    }

    @Test
    void dryRunReportsAFailureLikeApplyAndStillRollsBack() throws Exception {
        db.write("4_broken.sql", "alter table accounts add column age int;\nupdate accounts set age = 'old';\n");
        String before = db.snapshot();

        Cli.Result r = db.pgshift("dry-run", "--in-place", "--to", "4");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).containsPattern("FAILED +4_broken.sql")
                .contains("migrations/4_broken.sql:2:27")
                .contains("SQLSTATE 22P02")
                .contains("Rolled back");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void markAppliedRecordsRowsWithoutRunningAnything() throws Exception {
        Cli.Result r = db.pgshift("mark-applied", "1", "2_seed.sql", "--force");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("marked applied: 1_accounts.sql (not executed)");
        assertThat(db.tableExists("accounts")).isFalse();
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(db.column("select origin || ':' || (execution_ms is null) from supabase_migrations.pgshift_applied order by version"))
                .containsExactly("marked:true", "marked:true");
        assertThat(db.value("select array_to_string(statements, '|') from supabase_migrations.schema_migrations where version = '1'"))
                .isEqualTo("create table accounts (id serial primary key, email text)");
    }

    @Test
    void markAppliedKeepsAVersionAlreadyApplied() throws Exception {
        assertThat(db.pgshift("mark-applied", "1", "2_seed.sql", "--force").code()).isZero();

        Cli.Result again = db.pgshift("mark-applied", "2");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("already applied, kept: 2 seed");
    }

    @Test
    void statusJsonShowsAMarkedRowWithoutAnExecutionTime() throws Exception {
        assertThat(db.pgshift("mark-applied", "1", "2_seed.sql", "--force").code()).isZero();

        Cli.Result json = db.pgshift("status", "--json");
        assertThat(json.out()).contains("\"executionMs\":null,\"origin\":\"marked\"");
    }

    @Test
    void markAppliedThroughBaselinesAnExistingDatabase() throws Exception {
        db.write("5_more.sql", "select 1;");
        Cli.Result r = db.pgshift("mark-applied", "--through", "3", "--force");
        assertThat(r.code()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
        assertThat(db.pgshift("status").out()).containsPattern("5 +more +pending");
    }

    @Test
    void markAppliedWithAnUnknownVersionRecordsNothing() throws Exception {
        Cli.Result r = db.pgshift("mark-applied", "1", "77");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("No migration file has the version(s) 77; nothing was recorded");
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void markAppliedWithoutVersionsOrThroughIsAUsageError() throws Exception {
        Cli.Result neither = db.pgshift("mark-applied");
        assertThat(neither.code()).isEqualTo(2);
    }

    @Test
    void markRevertedDeletesLedgerRowsAndLeavesTheSchema() throws Exception {
        assertThat(db.pgshift("apply", "--to", "2").code()).isZero();

        Cli.Result unknown = db.pgshift("mark-reverted", "2", "9");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Not in the ledger: 9; nothing was deleted");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");

        Cli.Result r = db.pgshift("mark-reverted", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("marked reverted: 2");
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.value("select count(*) from supabase_migrations.pgshift_applied")).isEqualTo("1");
        assertThat(db.value("select count_accounts()")).isEqualTo("1");
        assertThat(db.pgshift("status").out()).containsPattern("2 +seed +pending");
    }

    @Test
    void historyOfAnEmptyLedgerSaysSo() throws Exception {
        assertThat(db.pgshift("history").out()).contains("The ledger is empty");
    }

    /** 1 executed, 2 marked, 9 written by another tool: three rows of three origins. */
    private void ledgerOfThreeOrigins() throws Exception {
        assertThat(db.pgshift("apply", "1").code()).isZero();
        assertThat(db.pgshift("mark-applied", "2", "--force").code()).isZero();
        db.execute("INSERT INTO supabase_migrations.schema_migrations(version, name) VALUES ('9', 'by_other_tool')");
    }

    @Test
    void historyListsLedgerRowsNewestFirstWithTheirOrigin() throws Exception {
        ledgerOfThreeOrigins();

        Cli.Result r = db.pgshift("history");

        assertThat(r.code()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out.indexOf("by_other_tool")).isLessThan(out.indexOf("seed")).isPositive();
        assertThat(out.indexOf("seed")).isLessThan(out.indexOf("accounts"));
        assertThat(out).containsPattern("9 +by_other_tool +other tool")
                .containsPattern("2 +seed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC +\\S+ +marked")
                .containsPattern("1 +accounts .* \\d+ ms +executed")
                .contains("3 row(s)");
    }

    @Test
    void historyWithACountShowsTheNewestRowsAndSaysHowToSeeMore() throws Exception {
        ledgerOfThreeOrigins();
        assertThat(db.pgshift("history", "1").out()).contains("(1 of 3 rows; history N shows more)")
                .doesNotContain("accounts");
    }

    @Test
    void newCreatesATimestampedFileWithASanitisedName() throws Exception {
        Cli.Result r = db.pgshift("new", "Add", "Bounce-Tracking!");
        assertThat(r.code()).as(r.toString()).isZero();
        String created = r.out().trim();
        assertThat(created).matches("migrations/\\d{14}_add_bounce_tracking\\.sql");
        assertThat(db.workDir().resolve(created)).exists().content().contains("-- add bounce tracking");
        assertThat(db.pgshift("status").out()).containsPattern("\\d{14} +add_bounce_tracking +draft"); // no SQL yet
    }

    @Test
    void newWithANameOfNoLettersIsAUsageError() throws Exception {
        assertThat(db.pgshift("new", "!!!").code()).isEqualTo(2);
    }

    @Test
    void showGivesAModifiedMigrationsStatementsAndALineDiff() throws Exception {
        assertThat(db.pgshift("apply", "--to", "2").code()).isZero();
        db.write("2_seed.sql", "insert into accounts (email) values ('a@example.com');\n"
                + "create function count_accounts() returns bigint language plpgsql as $$\n"
                + "begin\n  return (select count(*) + 0 from accounts);\nend;\n$$;\n");

        Cli.Result r = db.pgshift("show", "2");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Migration 2 seed: modified").contains("File:      migrations/2_seed.sql")
                .contains("Applied:   ").contains("(executed)")
                .contains("The file's statements (2):").contains("Recorded statements (2):")
                .contains("Changed since it was applied (- recorded, + file):")
                .contains("-   return (select count(*) from accounts);")
                .contains("+   return (select count(*) + 0 from accounts);");
    }

    @Test
    void showOfAPendingMigrationSaysItIsNotAppliedYet() throws Exception {
        assertThat(db.pgshift("show", "3").out()).contains("3 index: pending").contains("Not applied yet");
    }

    @Test
    void showOfAnUnknownVersionIsAUsageError() throws Exception {
        assertThat(db.pgshift("show", "9").code()).isEqualTo(2);
    }

    @Test
    void sqlReadsThroughAReadOnlyTransactionByDefault() throws Exception {
        assertThat(db.pgshift("apply", "1").code()).isZero();
        Cli.Result denied = db.pgshift("sql", "insert into accounts (email) values ('x@example.com')");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).contains("SQLSTATE 25006").contains("sql --write");
    }

    @Test
    void sqlWithWriteCommits() throws Exception {
        assertThat(db.pgshift("apply", "1").code()).isZero();
        assertThat(db.pgshift("sql", "--write", "insert into accounts (email) values ('x@example.com')").out())
                .contains("1 row(s) affected").contains("committed");
    }

    @Test
    void aStatementThatCannotRunInATransactionRunsOnItsOwnOnlyWithWrite() throws Exception {
        assertThat(db.pgshift("apply", "1").code()).isZero();
        assertThat(db.pgshift("sql", "vacuum accounts").err()).contains("cannot run in a read-only transaction");
        assertThat(db.pgshift("sql", "--write", "vacuum accounts").code()).isZero();
    }

    @Test
    void sqlShowsTheFirstHundredRowsAndSaysSo() throws Exception {
        Cli.Result many = db.pgshift("sql", "select generate_series(1, 150) as n");
        assertThat(many.out()).contains("first 100 rows shown").contains("  100\n").doesNotContain("  101\n");
    }
}
