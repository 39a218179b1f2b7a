package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** apply and status against a real PostgreSQL: the happy path and every way a file can fail. */
class ApplyIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void appliesTheExampleFolderAndRecordsEveryFile() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, db.folder().resolve(f.getFileName()));
            }
        }
        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Applied 5 migration(s)");
        assertThat(apply.err()).contains("cannot run inside a transaction (line 3: create index concurrently");

        assertThat(db.ledgerVersions()).containsExactly("20251101000001", "20251101000002", "20251101000003",
                "20251101000004", "20251112000001");
        assertThat(db.column("SELECT origin FROM supabase_migrations.pgshift_applied")).containsOnly("executed");
        assertThat(db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.profiles_created_at_idx'::regclass"))
                .isEqualTo("t");
        assertThat(db.column("SELECT policyname FROM pg_policies")).hasSize(2);
        assertThat(db.tableExists("public.email_bounces")).isTrue();

        Cli.Result status = db.pgshift("status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("5 applied, 0 pending").contains("PostgreSQL ");
        Cli.Result again = db.pgshift("apply");
        assertThat(again.out()).contains("Nothing to apply");
    }

    @Test
    void aFailureInTheMiddleOfAFileLeavesNoTraceAndStopsTheRun() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        db.write("2_broken.sql", "create table half_done (id int);\ninsert into half_done values (1);\n"
                + "select * from no_such_table;\ncreate table after_error (id int);\n");
        db.write("3_later.sql", "create table later_table (id int);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err())
                .contains("migrations/2_broken.sql:3:15")
                .contains("relation \"no_such_table\" does not exist (SQLSTATE 42P01)")
                .contains("3 | select * from no_such_table")
                .contains("  |               ^")
                .contains("Rolled back: nothing from 2_broken.sql was applied")
                .contains("1 migration(s) applied before it; 1 later migration(s) not run.")
                .doesNotContain("at pgshift.")  // no stack trace without --verbose
                .doesNotContain("Exception");
        assertThat(db.tableExists("first_table")).isTrue();
        assertThat(db.tableExists("half_done")).isFalse();
        assertThat(db.tableExists("later_table")).isFalse();
        assertThat(db.ledgerVersions()).containsExactly("1");
    }

    @Test
    void aRuntimeErrorInsideABatchNamesTheFailingStatementWithDetail() throws Exception {
        StringBuilder sql = new StringBuilder("create table t (id int primary key);\n");
        for (int i = 1; i <= 50; i++) {
            sql.append("insert into t values (").append(i).append(");\n");
        }
        sql.append("-- the duplicate below is line 53\ninsert into t values (7);\n");
        db.write("1_dupe.sql", sql.toString());

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("migrations/1_dupe.sql:53:1").contains("SQLSTATE 23505")
                .contains("DETAIL:  Key (id)=(7) already exists.").contains("53 | insert into t values (7)");
        assertThat(db.tableExists("t")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    private void writeABC() throws Exception {
        db.write("1_a.sql", "create table a (id int);");
        db.write("2_b.sql", "create table b (id int);");
        db.write("3_c.sql", "create table c (id int);");
    }

    @Test
    void applyWithAVersionRunsThatFileOnly() throws Exception {
        writeABC();
        assertThat(db.pgshift("apply", "2").code()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("2");
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void applyToAVersionRefusesToLeaveAnOlderPendingFileBehindUnlessIncludeAll() throws Exception {
        writeABC();
        assertThat(db.pgshift("apply", "2").code()).isZero();

        Cli.Result outOfOrder = db.pgshift("apply", "--to", "3");
        assertThat(outOfOrder.code()).isEqualTo(1);
        assertThat(outOfOrder.err()).contains("1_a.sql").contains("'apply --to 3 --include-all'");

        assertThat(db.pgshift("apply", "--to", "1", "--include-all").code()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }

    @Test
    void applyTakesAFilesPathAsWellAsItsVersion() throws Exception {
        writeABC();
        assertThat(db.pgshift("apply", "--to", "2").code()).isZero();
        assertThat(db.pgshift("apply", "migrations/3_c.sql").code()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void applyWithAnUnknownVersionIsAUsageError() throws Exception {
        writeABC();
        Cli.Result unknown = db.pgshift("apply", "99");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("No migration has the version 99");
    }

    /** 10 and 30 applied; then 10 edited, 30 deleted, 20 (older than 30) and 40 written. */
    private void divergeFromTheLedger() throws Exception {
        db.write("10_a.sql", "create table a (id int);\n");
        db.write("30_c.sql", "create table c (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.write("10_a.sql", "create table a (id bigint);\n");
        Files.delete(db.folder().resolve("30_c.sql"));
        db.write("20_b.sql", "create table b (id int);\n");
        db.write("40_d.sql", "create table d (id int);\n");
    }

    @Test
    void aCosmeticEditOfAnAppliedFileIsNotAModification() throws Exception {
        db.write("10_a.sql", "create table a (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();

        db.write("10_a.sql", "-- reformatted, same statements\ncreate   table a(\n  id int\n);\n");

        assertThat(db.pgshift("status", "--check").code()).as("a cosmetic edit is not a modification").isZero();
    }

    @Test
    void statusShowsModifiedMissingOutOfOrderAndPendingAndCheckFails() throws Exception {
        divergeFromTheLedger();

        Cli.Result status = db.pgshift("status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("10 +a +modified")
                .containsPattern("20 +b +out-of-order")
                .containsPattern("30 +c +missing")
                .containsPattern("40 +d +pending")
                .contains("4 migration(s): 0 applied, 1 pending, 1 modified, 1 missing, 1 out of order");
        assertThat(db.pgshift("status", "--check").code()).isEqualTo(1);
    }

    @Test
    void statusJsonGivesEveryMigrationsStateAndTheSummary() throws Exception {
        divergeFromTheLedger();

        Cli.Result json = db.pgshift("status", "--json");
        assertThat(json.out()).startsWith("{\"database\":\"postgresql://")
                .contains("{\"version\":\"10\",\"name\":\"a\",\"state\":\"modified\",\"appliedAt\":\"")
                .contains("\"executionMs\":")
                .contains("\"origin\":\"executed\"")
                .contains("{\"version\":\"40\",\"name\":\"d\",\"state\":\"pending\",\"appliedAt\":null,\"executionMs\":null,\"origin\":null}")
                .contains("\"summary\":{\"applied\":0,\"pending\":1,\"draft\":0,\"modified\":1,\"missing\":1,\"outOfOrder\":1,\"conflict\":0}");
    }

    @Test
    void aDraftShowsInStatusAndAnExplicitApplyRecordsItWithNoStatementsSayingSo() throws Exception {
        db.write("1_draft.sql", "-- add widgets\n/* nothing /* nested */ yet */\n;\n");
        db.write("2_real.sql", "create table real_table (id int);\n");

        Cli.Result status = db.pgshift("status");
        assertThat(status.out()).containsPattern("1 +draft +draft").containsPattern("2 +real +pending")
                .contains("2 migration(s): 0 applied, 1 pending, 1 draft, 0 modified");
        assertThat(db.pgshift("status", "--check").code()).isEqualTo(1);

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.all()).isZero();
        assertThat(apply.out()).contains("1_draft.sql  (no statements yet: recorded as applied with none, as the Supabase CLI does");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(db.pgshift("status").out()).containsPattern("1 +draft +applied"); // recorded as the splitter reads it
        assertThat(db.pgshift("status", "--check").code()).isZero();
    }

    @Test
    void applyRefusesAnOutOfOrderFileAndNamesTheEditedOneUntilIncludeAll() throws Exception {
        divergeFromTheLedger();

        Cli.Result refused = db.pgshift("apply");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Refusing to run 20_b.sql").contains("--include-all")
                .contains("10_a.sql was edited after it was applied");
        assertThat(db.tableExists("d")).isFalse();

        assertThat(db.pgshift("apply", "--include-all").code()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("10", "20", "30", "40");
    }

    @Test
    void aConcurrentIndexFileRunsWithoutATransactionAndSaysSo() throws Exception {
        db.write("1_table.sql", "create table items (id int, name text);\n");
        db.write("2_index.sql", "-- built without locking writes\ncreate index concurrently items_name_idx on items (name);\n"
                + "create index concurrently items_id_idx on items (id);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("2_index.sql has a statement that cannot run inside a transaction (line 2: "
                + "create index concurrently items_name_idx on items(name))")
                .contains("running its 2 statement(s) one at a time");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"))
                .containsExactly("items_id_idx", "items_name_idx");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }

    @Test
    void aFailingFileWithoutTransactionSaysWhatWasAlreadyCommitted() throws Exception {
        db.write("1_mixed.sql", "create table items (id int);\ncreate index concurrently items_id_idx on items (id);\n"
                + "insert into missing_table values (1);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("1_mixed.sql:3:13")
                .contains("Already committed and NOT rolled back: 2 of 3 statement(s), starting on line(s) 1, 2.")
                .contains("No history row was written");
        assertThat(db.tableExists("items")).isTrue();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aFileWrappedInItsOwnTransactionAppliesAndAStrayCommitIsRefused() throws Exception {
        db.write("1_wrapped.sql", "begin;\ncreate table wrapped (id int);\ncommit;\n");
        db.write("2_stray.sql", "create table before_commit (id int);\ncommit;\ncreate table after_commit (id int);\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("migrations/2_stray.sql:2:1: commit would end or restart the transaction");
        assertThat(db.tableExists("wrapped")).as("refused before any file of the run ran").isFalse();
        assertThat(db.tableExists("before_commit")).isFalse();

        java.nio.file.Files.delete(db.folder().resolve("2_stray.sql"));
        assertThat(db.pgshift("apply").code()).isZero();
        assertThat(db.tableExists("wrapped")).isTrue();
        assertThat(db.column("SELECT array_to_string(statements, '|') FROM supabase_migrations.schema_migrations"))
                .containsExactly("begin|create table wrapped (id int)|commit");
    }

    @Test
    void aMetaCommandIsRefusedBeforeAnyFileRunsAndABadlyNamedFileIsSkippedWithAWarning() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        db.write("notes.sql", "select 1;");
        db.write("2_meta.sql", "create table m (id int);\n\\i other.sql\n");

        Cli.Result meta = db.pgshift("apply");
        assertThat(meta.code()).isEqualTo(1);
        assertThat(meta.err()).contains("warning: Skipping notes.sql: a migration file name must look like <digits>_<name>.sql")
                .contains("2_meta.sql:2:1").contains("meta-command");
        assertThat(db.tableExists("ok")).as("files are checked before the first one runs").isFalse();
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        Files.write(db.folder().resolve("3_latin1.sql"), new byte[] {'s', 'e', 'l', 'e', 'c', 't', ';', '\n',
                '-', '-', ' ', (byte) 0xE9, 't', 'e', '\n'});
        Cli.Result utf8 = db.pgshift("apply");
        assertThat(utf8.code()).isEqualTo(1);
        assertThat(utf8.err()).contains("3_latin1.sql:2").contains("UTF-8");
        assertThat(db.tableExists("ok")).as("files are checked before the first one runs").isFalse();
    }

    @Test
    void twoFilesWithTheSameVersionAreBothNamed() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        db.write("01_same_version.sql", "select 1;");
        Cli.Result dupes = db.pgshift("status");
        assertThat(dupes.code()).isEqualTo(1);
        assertThat(dupes.err()).contains("01_same_version.sql").contains("1_ok.sql");
    }

    /** 1,600 numbered inserts into t with comment-only statements between; ends with a newline. */
    private static String bigScript() {
        StringBuilder sql = new StringBuilder("create table t (id int primary key, note text);\n");
        for (int i = 1; i <= 1600; i++) {
            sql.append("insert into t values (").append(i).append(", 'row ").append(i).append("'); -- row ").append(i).append('\n');
            if (i % 400 == 0) {
                sql.append("-- a comment-only statement follows\n;\nselect count(*) from t;\n");
            }
        }
        return sql.toString();
    }

    @Test
    void aRuntimeErrorDeepInABigFileNamesTheExactStatement() throws Exception {
        String head = bigScript();
        db.write("1_runtime.sql", head + "insert into t values (1500, 'dupe');\n");

        Cli.Result runtime = db.pgshift("apply", "1");
        assertThat(runtime.code()).isEqualTo(1);
        assertThat(runtime.err()).contains("migrations/1_runtime.sql:" + (head.lines().count() + 1) + ":1")
                .contains("Key (id)=(1500) already exists");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void aSyntaxErrorDeepInABigFileNamesTheExactStatementAndColumn() throws Exception {
        String head = bigScript();
        db.write("2_syntax.sql", head.replace("create table t", "create table u").replace("into t", "into u")
                .replace("from t", "from u") + "insert into u values (1601, '\uD83D\uDE00 emoji') returning nope;\n");

        Cli.Result syntax = db.pgshift("apply", "2", "--include-all");
        assertThat(syntax.code()).isEqualTo(1);
        assertThat(syntax.err()).contains("migrations/2_syntax.sql:" + (head.lines().count() + 1) + ":51")
                .contains("column \"nope\" does not exist")
                .contains("| " + " ".repeat(50) + "^");
        assertThat(db.tableExists("u")).isFalse();
    }

    @Test
    void aBigFileWithCommentOnlyStatementsAppliesWhole() throws Exception {
        db.write("1_runtime.sql", bigScript());
        assertThat(db.pgshift("apply", "1").code()).isZero();
        assertThat(db.value("select count(*) from t")).isEqualTo("1600");
    }

    // 3,000 statements go out as several Query messages per round trip, and several round trips:
    // the failing statement is followed by statements already sent, which must not run.

    @Test
    void aRuntimeErrorInAFileSentInSeveralPipelinedQueriesNamesTheExactStatement() throws Exception {
        db.write("1_runtime.sql", numbered("p", 3000, 1100, "insert into p values (5)"));
        Cli.Result runtime = db.pgshift("apply", "1");
        assertThat(runtime.code()).isEqualTo(1);
        assertThat(runtime.err()).contains("migrations/1_runtime.sql:1101:1").contains("Key (id)=(5) already exists");
        assertThat(db.tableExists("p")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aSyntaxErrorInAFileSentInSeveralPipelinedQueriesNamesTheExactStatement() throws Exception {
        db.write("2_syntax.sql", numbered("q", 3000, 2100, "insert into q valuez (2100)"));
        Cli.Result syntax = db.pgshift("apply", "2");
        assertThat(syntax.code()).isEqualTo(1);
        assertThat(syntax.err()).contains("migrations/2_syntax.sql:2101:15").contains("syntax error at or near \"valuez\"");
        assertThat(db.tableExists("q")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aFileSentInSeveralPipelinedQueriesAppliesWhole() throws Exception {
        db.write("3_ok.sql", numbered("r", 3000, 0, null));
        Cli.Result ok = db.pgshift("apply", "3");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(db.value("select count(*) from r")).isEqualTo("3000");
    }

    /** A table and {@code rows} inserts, one per line (statement i on line i + 1), the {@code bad}-th replaced. */
    private static String numbered(String table, int rows, int bad, String replacement) {
        StringBuilder sql = new StringBuilder("create table " + table + " (id int primary key);\n");
        for (int i = 1; i <= rows; i++) {
            sql.append(i == bad ? replacement : "insert into " + table + " values (" + i + ")").append(";\n");
        }
        return sql.toString();
    }

    @Test
    void aFailureBeforeAStatementThatNeedsNoTransactionLeavesWhatRanCommittedAndSaysSo() throws Exception {
        // The file runs statement by statement, since one of its statements needs no transaction.
        db.write("1_mixed.sql", "create table items (id int);\ninsert into missing values (1);\n"
                + "create index concurrently items_id_idx on items (id);\n");
        Cli.Result mixed = db.pgshift("apply");
        assertThat(mixed.code()).isEqualTo(1);
        assertThat(mixed.err()).contains("1_mixed.sql:2:13")
                .contains("Already committed and NOT rolled back: 1 of 3 statement(s), starting on line(s) 1.");
        assertThat(db.tableExists("items")).isTrue();
    }

    @Test
    void aFileFoundUnsplittableAfterStatementsRanIsRolledBackNamingTheLine() throws Exception {
        db.write("1_mixed.sql", "create table other (id int);\ninsert into other values (1);\n\\set x 1\n");
        Cli.Result meta = db.pgshift("apply");
        assertThat(meta.code()).isEqualTo(1);
        assertThat(meta.err()).contains("1_mixed.sql:3:1").contains("meta-command");
        assertThat(db.tableExists("other")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }
}
