package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/**
 * The ledger is shared with the Supabase CLI: same table, and for the same file the same row.
 * The expected statements below follow the Supabase CLI's splitter (pkg/parser SplitAndTrim):
 * split on top-level semicolons, trailing semicolons removed, whitespace trimmed, comments kept.
 */
class SupabaseLedgerIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void theLedgerTableHasTheSupabaseShape() throws Exception {
        db.write("20240101000000_init.sql", "select 1;");
        assertThat(db.pgshift("apply").code()).isZero();

        assertThat(db.column("select column_name || ':' || data_type || ':' || is_nullable from information_schema.columns "
                + "where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position"))
                .containsExactly("version:text:NO", "statements:ARRAY:YES", "name:text:YES");
        assertThat(db.value("select pg_get_constraintdef(oid) from pg_constraint "
                + "where conrelid = 'supabase_migrations.schema_migrations'::regclass and contype = 'p'"))
                .isEqualTo("PRIMARY KEY (version)");
    }

    @Test
    void rowsMatchWhatTheSupabaseCliRecordsForTheSameFile() throws Exception {
        String file = "-- Create the users table\r\n"
                + "create table users (\r\n  id bigint primary key,\r\n  note text default ';'\r\n);\r\n"
                + "\r\n"
                + "create function bump() returns trigger language plpgsql as $fn$\r\n"
                + "begin\r\n  new.id := new.id + 1; -- keep going;\r\n  return new;\r\nend;\r\n$fn$;;\r\n"
                + "/* block ; comment */ insert into users values (1, 'it''s; fine');\r\n"
                + "insert into users values (2, 'C:\\temp\\new'), (3, E'tab\\there \\\\ and \\'quote\\'');\r\n"
                + "-- trailing comment\r\n";
        db.write("20240101000000_users.sql", file);

        assertThat(db.pgshift("apply").code()).isZero();

        List<String> expected = List.of(
                "-- Create the users table\r\ncreate table users (\r\n  id bigint primary key,\r\n  note text default ';'\r\n)",
                "create function bump() returns trigger language plpgsql as $fn$\r\nbegin\r\n  new.id := new.id + 1; "
                        + "-- keep going;\r\n  return new;\r\nend;\r\n$fn$",
                "/* block ; comment */ insert into users values (1, 'it''s; fine')",
                "insert into users values (2, 'C:\\temp\\new'), (3, E'tab\\there \\\\ and \\'quote\\'')",
                "-- trailing comment");
        assertThat(db.column("select unnest(statements) from supabase_migrations.schema_migrations"))
                .containsExactlyElementsOf(expected);
        assertThat(db.value("select name from supabase_migrations.schema_migrations")).isEqualTo("users");
        assertThat(db.column("select note from users order by id")).containsExactly("it's; fine", "C:\\temp\\new",
                "tab\there \\ and 'quote'");
    }

    @Test
    void aLedgerWrittenByTheSupabaseCliReadsBackAsApplied() throws Exception {
        db.write("20240101000000_one.sql", "create table one (id int);\n");
        db.write("20240102000000_two.sql", "create table two (id int);\n");
        db.write("20240103000000_three.sql", "create table three (id int);\n");
        try (Connection c = TestPostgres.connect(db.url()); Statement st = c.createStatement()) {
            // The Supabase CLI's own DDL and inserts, without pgshift's side table.
            st.execute("CREATE SCHEMA IF NOT EXISTS supabase_migrations");
            st.execute("CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)");
            st.execute("ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]");
            st.execute("ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text");
            st.execute("create table one (id int); create table two (id int)");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES(?, ?, ?)")) {
                ps.setString(1, "20240101000000");
                ps.setString(2, "one");
                ps.setArray(3, c.createArrayOf("text", new String[] {"create table one (id int)"}));
                ps.execute();
                ps.setString(1, "20240102000000");
                ps.setString(2, "two");
                ps.setArray(3, c.createArrayOf("text", new String[] {"create table two (id int)"}));
                ps.execute();
            }
        }

        Cli.Result status = db.pgshift("status", "--json");
        assertThat(status.out())
                .contains("{\"version\":\"20240101000000\",\"name\":\"one\",\"state\":\"applied\",\"appliedAt\":null,"
                        + "\"executionMs\":null,\"origin\":\"unknown\"}")
                .contains("{\"version\":\"20240103000000\",\"name\":\"three\",\"state\":\"pending\"");
        assertThat(db.pgshift("status").out()).contains("(by another tool)");

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(db.ledgerVersions()).containsExactly("20240101000000", "20240102000000", "20240103000000");
        assertThat(db.column("select version from supabase_migrations.pgshift_applied")).containsExactly("20240103000000");
    }

    @Test
    void anOldLedgerWithoutStatementsOrNameColumnsStillReads() throws Exception {
        db.write("20240101000000_one.sql", "create table one (id int);\n");
        db.execute("CREATE SCHEMA supabase_migrations; "
                + "CREATE TABLE supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY); "
                + "INSERT INTO supabase_migrations.schema_migrations VALUES ('20240101000000')");
        Cli.Result status = db.pgshift("status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("20240101000000 +one +applied");
    }

    @Test
    void aBigFilesLedgerRowGoesThroughCopyUnchanged() throws Exception {
        StringBuilder sql = new StringBuilder("create table notes (id int primary key, body text);\r\n");
        String[] bodies = {"tab\there", "quote \" and '' single", "back\\slash \\\\ two", "{braces, commas}",
                "NULL", "", "line\nbreak", "\u00e9t\u00e9 \uD83D\uDE00", "\\.", "comma,\"quote\"\\"};
        for (int i = 0; i < 6000; i++) {
            String body = bodies[i % bodies.length];
            sql.append("insert into notes values (").append(i).append(", '").append(body.replace("'", "''"))
                    .append("'); -- note ").append(i).append("\r\n");
        }
        assertThat(sql.length()).as("bigger than the inline ledger limit").isGreaterThan(300_000);
        db.write("20240101000000_notes.sql", sql.toString());

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isZero();
        List<String> expected = pgshift.migration.SqlSplitter.split(sql.toString(), "x").stream()
                .map(pgshift.migration.SqlStatement::text).toList();
        assertThat(db.column("select unnest(statements) from supabase_migrations.schema_migrations"))
                .containsExactlyElementsOf(expected);
        assertThat(db.value("select count(*) from notes")).isEqualTo("6000");
        assertThat(db.pgshift("status", "--check").code()).as("the recorded row matches the file").isZero();
    }
    @Test
    void aBigFileThatFailsLeavesNoLedgerRowAndPgshiftKeepsOnlyItsOneSideTable() throws Exception {
        db.execute("create schema supabase_migrations; create table supabase_migrations.pgshift_staged_ledger (version text)");
        StringBuilder sql = new StringBuilder("create table seeds (id int primary key, body text);\n");
        for (int i = 0; i < 4000; i++) {
            sql.append("insert into seeds values (").append(i).append(", '").append("x".repeat(80)).append("');\n");
        }
        assertThat(sql.length()).as("bigger than the inline ledger limit").isGreaterThan(300_000);
        db.write("20240101000000_seeds.sql", sql + "insert into seeds values (7, 'again');\n");

        Cli.Result apply = db.pgshift("apply");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("20240101000000_seeds.sql:4002:1").contains("Key (id)=(7) already exists");
        assertThat(db.ledgerVersions()).isEmpty();
        assertThat(db.tableExists("seeds")).isFalse();

        db.write("20240101000000_seeds.sql", sql.toString());
        Cli.Result again = db.pgshift("apply");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(db.value("select array_length(statements, 1) from supabase_migrations.schema_migrations")).isEqualTo("4001");
        assertThat(db.column("select tablename from pg_tables where schemaname = 'supabase_migrations' order by 1"))
                .as("the ledger and one side table; an older pgshift's staging table is removed")
                .containsExactly("pgshift_applied", "schema_migrations");
        assertThat(db.pgshift("status", "--check").code()).isZero();
    }
}
