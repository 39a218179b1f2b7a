package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** How the splitter's reading of a file shows in apply against a real PostgreSQL. */
class SplitterIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void aNulByteFailsTheFileWithItsPositionAndNothingIsApplied() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("create table first (id int);\ninsert into first values (1);\nselect 'a".getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
        bytes.writeBytes("b';\n".getBytes(StandardCharsets.UTF_8));
        Files.write(db.folder().resolve("2_file.sql"), bytes.toByteArray());

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("2_file.sql:3:10").contains("PostgreSQL text cannot hold NUL bytes")
                .doesNotContain("invalid message format");
        assertThat(db.tableExists("ok")).isFalse();
        assertThat(db.tableExists("first")).isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void standardConformingStringsOffIsFollowedFromTheNextStatement() throws Exception {
        db.write("1_legacy.sql", "-- pgshift:no-transaction\ncreate table quotes (q text);\n"
                + "set standard_conforming_strings = off;\ninsert into quotes values ('it\\'s; C:\\\\');\n"
                + "reset standard_conforming_strings;\ninsert into quotes values ('C:\\');\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.column("select q from quotes order by q desc")).containsExactly("it's; C:\\", "C:\\");
        assertThat(db.ledgerVersions()).containsExactly("1");
    }

    @Test
    void standardConformingStringsOffInATransactionalFile() throws Exception {
        db.write("1_legacy.sql", "create table quotes (q text);\n"
                + "set standard_conforming_strings = off;\ninsert into quotes values ('it\\'s; C:\\\\');\n"
                + "reset standard_conforming_strings;\ninsert into quotes values ('C:\\');\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.column("select q from quotes order by q desc")).containsExactly("it's; C:\\", "C:\\");
    }

    @Test
    void aDoBlockOrAProcedureThatCommitsRunsWithoutATransactionAndSaysSo() throws Exception {
        db.write("1_items.sql", "create table items (id int primary key, done boolean not null default false);\n"
                + "insert into items select g from generate_series(1, 10) g;\n");
        db.write("2_backfill.sql", "-- mark every item, one commit per row\ndo $$\nbegin\n  for i in 1..10 loop\n"
                + "    update items set done = true where id = i;\n    commit;\n  end loop;\nend $$;\n");
        db.write("3_procedure.sql", "create procedure reset_items() language plpgsql as $$\nbegin\n"
                + "  update items set done = false where id > 5;\n  commit;\nend $$;\n\ncall reset_items();\n");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err())
                .contains("2_backfill.sql has a statement that cannot run inside a transaction (line 2: do $$begin for i in")
                .contains("3_procedure.sql has a statement that cannot run inside a transaction (line 7: call reset_items())")
                .doesNotContain("invalid transaction termination");
        assertThat(db.column("select id from items where done order by id")).containsExactly("1", "2", "3", "4", "5");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
    }

    @Test
    void graphileMigratesNoTransactionMarkerIsHonoured() throws Exception {
        db.write("1_mood.sql", "create type mood as enum ('sad');\n");
        String body = "alter type mood add value 'happy';\ncreate table people (m mood not null default 'happy');\n";
        db.write("2_happy.sql", "--! Previous: sha1:0123\n--! Hash: sha1:4567\n\n" + body);

        Cli.Result inTransaction = db.pgshift("apply");
        assertThat(inTransaction.code()).as("a new enum value cannot be used before a commit").isEqualTo(1);
        assertThat(inTransaction.err()).contains("unsafe use of new value");

        db.write("2_happy.sql", "--! Previous: sha1:0123\n--! Hash: sha1:4567\n\n--! no-transaction\n" + body);
        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(db.tableExists("people")).isTrue();
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }
}
