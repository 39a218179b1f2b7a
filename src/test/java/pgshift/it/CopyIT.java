package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPgBouncer;
import pgshift.testing.TestPostgres;

/** COPY ... FROM stdin blocks in migration files, as pg_dump writes them, against a real PostgreSQL. */
class CopyIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** A baseline as pg_dump writes it: text format with tabs, escapes, \N and non-ASCII; then CSV. */
    static final String BASELINE = """
            create table public.t (id int primary key, name text, note text);
            create table public.c (a int, b text);
            --
            -- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres
            --

            COPY public.t (id, name, note) FROM stdin;
            1\tO'Brien\t; -- not a comment; $$ not a dollar quote
            2\t\\N\tC:\\\\dir\\there
            3\tÄ😀 ünïcode\t\\N
            \\.

            COPY public.c (a, b) FROM stdin WITH (FORMAT csv, HEADER true);
            a,b
            1,"x;y"
            2,"two
            lines"
            \\.

            insert into public.t values (4, 'after', (select count(*)::text from public.c));
            """;

    @Test
    void appliesCopyBlocksInTheFilesTransactionAndRecordsEachAsOneStatement() throws Exception {
        db.write("1_baseline.sql", BASELINE);

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(db.column("select id || '|' || coalesce(name, 'NULL') || '|' || coalesce(note, 'NULL') from t order by id"))
                .containsExactly("1|O'Brien|; -- not a comment; $$ not a dollar quote", "2|NULL|C:\\dir\there",
                        "3|Ä😀 ünïcode|NULL", "4|after|2");
        assertThat(db.column("select a || '|' || b from c order by a")).containsExactly("1|x;y", "2|two\nlines");
        List<String> statements = ledgerStatements(db.url());
        assertThat(statements).hasSize(5);
        assertThat(statements.get(2)).isEqualTo(BASELINE.substring(BASELINE.indexOf("--\n-- Data"),
                BASELINE.indexOf("\\.\n") + 2));
        assertThat(statements.get(3)).startsWith("COPY public.c (a, b) FROM stdin WITH (FORMAT csv, HEADER true);\na,b\n")
                .endsWith("lines\"\n\\.");
        Cli.Result status = db.pgshift("status", "--check");
        assertThat(status.code()).as("the file matches its ledger row: " + status).isZero();

        DatabaseUrl second = TestPostgres.freshDatabase("copySecond");
        Cli.Result again = Cli.run(db.workDir(), "--database-url", TestPostgres.urlString(second), "apply");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(ledgerStatements(second)).as("a second apply records the same bytes").isEqualTo(statements);
    }

    @Test
    void anEditToCopyDataIsAnEditEvenWhenItIsOnlyWhitespace() throws Exception {
        db.write("1_rows.sql", "create table t (id int, name text);\n\ncopy t (id, name) from stdin;\n1\tone\n\\.\n");
        assertThat(db.pgshift("apply").code()).isZero();

        db.write("1_rows.sql", "create table t (id int, name text);\ncopy t (id, name)\n  from stdin;\n1\tone\n\\.\n");
        Cli.Result layout = db.pgshift("status", "--check");
        assertThat(layout.code()).as("the command's layout is cosmetic: " + layout).isZero();

        db.write("1_rows.sql", "create table t (id int, name text);\ncopy t (id, name) from stdin;\n1\t one\n\\.\n");
        Cli.Result data = db.pgshift("status", "--check");
        assertThat(data.code()).as("a space in the data is a value: " + data).isEqualTo(1);
        assertThat(data.out()).containsPattern("1 +rows +modified");
    }

    @Test
    void aBadDataRowIsReportedAtItsLineInTheFileAndRollsTheFileBack() throws Exception {
        db.write("1_rows.sql", "create table t (id int, name text);\n\nCOPY t (id, name) FROM stdin;\n1\tone\n2\ttwo\n"
                + "three\tthree\n4\tfour\n\\.\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err())
                .contains("migrations/1_rows.sql:6:1\n")
                .contains("invalid input syntax for type integer: \"three\" (SQLSTATE 22P02)")
                .contains("CONTEXT: COPY t, line 3")
                .contains("6 | three\tthree")
                .contains("Rolled back: nothing from 1_rows.sql was applied");
        assertThat(db.tableExists("t")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aBadCsvRowAfterAFieldSpanningLinesIsReportedAtItsOwnLine() throws Exception {
        db.write("1_csv.sql", "create table c (a int, b text);\ncopy c from stdin with (format csv, header true);\n"
                + "a,b\n1,\"two\nlines\"\nx,bad\n\\.\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("migrations/1_csv.sql:6:1\n").contains("6 | x,bad");
    }

    @Test
    void aDuplicateKeyInTheDataIsReportedAtItsRowWithTheServersDetail() throws Exception {
        db.write("1_seed.sql", "create table t (id int primary key);\ncopy t from stdin;\n1\n2\n1\n\\.\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("migrations/1_seed.sql:5:1\n").contains("(SQLSTATE 23505)")
                .contains("DETAIL:  Key (id)=(1) already exists.");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void anErrorRaisedByATriggerOnARowIsReportedAtThatRow() throws Exception {
        db.write("1_trigger.sql", """
                create table t (id int);
                create function no_sevens() returns trigger language plpgsql as $$
                begin
                  if new.id = 7 then raise exception 'no sevens, line 1 of nothing'; end if;
                  return new;
                end $$;
                create trigger t_no_sevens before insert on t for each row execute function no_sevens();
                copy t from stdin;
                1
                7
                \\.
                """);

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("migrations/1_trigger.sql:10:1\n").contains("no sevens")
                .contains("COPY t, line 2");
    }

    @Test
    void anErrorInTheCopyCommandNamesTheCommandsLine() throws Exception {
        db.write("1_missing.sql", "select 1;\n  copy no_such_table (a) from stdin;\n1\n\\.\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("migrations/1_missing.sql:2:3\n")
                .contains("relation \"no_such_table\" does not exist (SQLSTATE 42P01)");
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aMissingEndOfDataLineStopsTheRunBeforeAnythingRuns() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        db.write("2_cut.sql", "create table t (id int);\ncopy t from stdin;\n1\n2\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("2_cut.sql:2:1: the COPY ... FROM stdin that starts here has no end-of-data line");
        assertThat(db.tableExists("first_table")).isFalse();
    }

    @Test
    void dryRunRehearsesACopyBlockAndLeavesNothing() throws Exception {
        db.write("1_rows.sql", "create table t (id int);\ncopy t from stdin;\n1\n2\n\\.\nselect 1/(count(*) - 2) from t;\n");

        Cli.Result dry = db.pgshift("dry-run");

        assertThat(dry.code()).as("the rows were there for the last statement, which divides by zero: " + dry)
                .isEqualTo(1);
        assertThat(dry.all()).contains("division by zero").contains("1_rows.sql:6:");
        assertThat(db.tableExists("t")).isFalse();

        db.write("1_rows.sql", "create table t (id int);\ncopy t from stdin;\n1\n2\n\\.\nselect 1/(count(*) - 1) from t;\n");
        Cli.Result ok = db.pgshift("dry-run");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(db.tableExists("t")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void aCopyBlockRunsThroughATransactionModePoolerInTheFilesTransaction() throws Exception {
        db.write("1_baseline.sql", BASELINE);
        String pooled = TestPostgres.urlString(TestPgBouncer.transactionMode().through(db.url())) + "?pgbouncer=true";

        Cli.Result apply = Cli.run(db.workDir(), "--database-url", pooled, "apply");

        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(db.value("select count(*) from t")).isEqualTo("4");
        assertThat(db.value("select count(*) from c")).isEqualTo("2");
        assertThat(ledgerStatements(db.url())).hasSize(5);
    }

    @Test
    void aFileWithoutATransactionRunsItsCopyBlockOnItsOwn() throws Exception {
        db.write("1_concurrent.sql", "create table t (id int);\ncopy t from stdin;\n1\n2\n\\.\n"
                + "create index concurrently t_id on t (id);\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(db.value("select count(*) from t")).isEqualTo("2");
        assertThat(db.ledgerVersions()).containsExactly("1");
    }

    private static List<String> ledgerStatements(DatabaseUrl url) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select unnest(statements) from supabase_migrations.schema_migrations")) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
        }
        return texts;
    }
}
