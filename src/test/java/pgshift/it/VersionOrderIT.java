package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** Order and identity of versions as the Supabase CLI has them, against a real PostgreSQL. */
class VersionOrderIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void filesRunInFileNameOrderNotByNumber() throws Exception {
        // Seen in a public app: an 8-digit date beside 14-digit timestamps. By number 20250821 is
        // smaller; by name (what the Supabase CLI runs) 20250819100000 comes first, and x needs it.
        db.write("20250821_x.sql", "alter table t add column b int;");
        db.write("20250819100000_y.sql", "create table t (a int);");

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out().indexOf("20250819100000_y.sql")).isLessThan(apply.out().indexOf("20250821_x.sql"));
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY 1"))
                .containsExactly("a", "b");

        Cli.Result status = db.pgshift("status");
        assertThat(status.out().indexOf("20250819100000")).isLessThan(status.out().indexOf("20250821 "));
    }

    @Test
    void outOfOrderIsDecidedAsText() throws Exception {
        db.write("20250821_x.sql", "create table x (id int);");
        assertThat(db.pgshift("apply").code()).isZero();
        db.write("20250819100000_y.sql", "create table y (id int);");

        assertThat(db.pgshift("status").out()).containsPattern("20250819100000 +y +out-of-order");
        Cli.Result refused = db.pgshift("apply");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Refusing to run 20250819100000_y.sql")
                .contains("newest applied migration (20250821)")
                .contains("run 'apply --include-all'").doesNotContain("pgshift apply");
        Cli.Result one = db.pgshift("apply", "20250819100000");
        assertThat(one.err()).contains("run 'apply 20250819100000 --include-all'");
        assertThat(db.tableExists("y")).isFalse();

        assertThat(db.pgshift("apply", "20250819100000", "--include-all").code()).isZero();
        assertThat(db.tableExists("y")).isTrue();
    }

    @Test
    void aFileRenamedWithoutItsLeadingZerosDoesNotRunAgain() throws Exception {
        db.write("002_seed.sql", "create table seeded (id int primary key); insert into seeded values (1);");
        assertThat(db.pgshift("apply").code()).isZero();
        Files.move(db.folder().resolve("002_seed.sql"), db.folder().resolve("2_seed.sql"));
        db.write("3_later.sql", "create table later (id int);");

        Cli.Result status = db.pgshift("status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("002 +seed +missing").containsPattern("2 +seed +conflict")
                .containsPattern("3 +later +pending");
        assertThat(status.err()).contains("migrations/2_seed.sql has version 2, but the ledger records 002");
        assertThat(db.pgshift("status", "--check").code()).isEqualTo(1);

        for (String command : new String[] {"apply", "dry-run"}) {
            Cli.Result refused = db.pgshift(command);
            assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("migrations/2_seed.sql has version 2, but the ledger records 002")
                    .contains("Rename the file back to 002_seed.sql").contains("Nothing was run.");
        }
        assertThat(db.pgshift("apply", "3").code()).isEqualTo(1);
        assertThat(db.tableExists("later")).isFalse();
        assertThat(db.column("SELECT version FROM supabase_migrations.schema_migrations")).containsExactly("002");

        Files.move(db.folder().resolve("2_seed.sql"), db.folder().resolve("002_seed.sql"));
        assertThat(db.pgshift("apply").code()).isZero();
        assertThat(db.tableExists("later")).isTrue();
    }

    @Test
    void versionsAndFilesAreMatchedExactly() throws Exception {
        db.write("002_a.sql", "create table a (id int);");
        db.write("3_bar.sql", "create table bar (id int);");
        Files.createDirectories(db.workDir().resolve("other"));
        Files.writeString(db.workDir().resolve("other/3_foo.sql"), "create table foo (id int);");

        Cli.Result twin = db.pgshift("apply", "2");
        assertThat(twin.code()).isEqualTo(2);
        assertThat(twin.err()).contains("No migration has version 2; did you mean 002?");

        Cli.Result otherFile = db.pgshift("apply", "other/3_foo.sql");
        assertThat(otherFile.code()).isEqualTo(2);
        assertThat(otherFile.err()).contains("other/3_foo.sql has version 3, but the migration with that version is 3_bar.sql");
        assertThat(db.tableExists("foo")).isFalse();
        assertThat(db.tableExists("bar")).isFalse();

        assertThat(db.pgshift("apply", "002").code()).isZero();
        assertThat(db.pgshift("apply", "migrations/3_bar.sql").code()).isZero();
        assertThat(db.tableExists("bar")).isTrue();
    }

    @Test
    void skippedFilesAreNamedWithTheirReasonAndEscaped() throws Exception {
        db.write("1_ok.sql", "select 1;");
        db.write("2_upper.SQL", "select 2;");
        db.write("3_bell\u0007.Sql", "select 3;");
        Files.createSymbolicLink(db.folder().resolve("4_gone.sql"), db.folder().resolve("nowhere.sql"));

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Applied 1 migration(s)");
        assertThat(apply.err()).contains("Skipping 2_upper.SQL: the Supabase CLI reads only files ending in lower-case .sql")
                .contains("Skipping 3_bell\\x07.Sql: ").doesNotContain("\u0007")
                .contains("Skipping 4_gone.sql: it is a symbolic link to");
    }

    @Test
    void wideNamesKeepTheStatusColumnsAligned() throws Exception {
        db.write("1_\u7528\u6237\u8868.sql", "select 1;"); // 用户表: 6 columns wide
        db.write("2_abcdef.sql", "select 2;");
        Cli.Result status = db.pgshift("status");
        String wide = status.out().lines().filter(l -> l.contains("\u7528")).findFirst().orElseThrow();
        String narrow = status.out().lines().filter(l -> l.contains("abcdef")).findFirst().orElseThrow();
        // Same display column for "pending": the CJK line is 3 characters shorter for 3 extra columns.
        assertThat(wide.indexOf("pending") + 3).isEqualTo(narrow.indexOf("pending"));
    }
}
