package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** A failing migration that sets a password shows where it failed, never the password. */
class SecretsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void aFailureReportMasksDollarQuotedPasswordsAndKeepsTheCaret() throws Exception {
        db.write("1_roles.sql", """
                CREATE TABLE kept (id int);
                CREATE ROLE pgshift_test_secrets LOGIN PASSWORD
                  $pw$Hunter2Pw9$pw$ CONNECTION LIMT 5;
                """);

        Cli.Result result = db.pgshift("--verbose", "apply");

        assertThat(result.code()).as(result.toString()).isEqualTo(1);
        assertThat(result.all()).as(result.toString()).doesNotContain("Hunter2").doesNotContain("Pw9");
        assertThat(result.err()).as(result.toString())
                .contains("1_roles.sql:3:33")
                .contains("  2 | CREATE ROLE pgshift_test_secrets LOGIN PASSWORD\n"
                        + "  3 |   '***' CONNECTION LIMT 5\n"
                        + "    |                    ^\n");
        assertThat(db.tableExists("kept")).as("the file's transaction was rolled back").isFalse();
    }

    @Test
    void anUnquotedPasswordIsNotQuotedBackByTheServerMessage() throws Exception {
        db.write("1_roles.sql", "CREATE ROLE pgshift_test_bare LOGIN PASSWORD Hunter2Pw9;\n");

        Cli.Result result = db.pgshift("apply");

        assertThat(result.code()).as(result.toString()).isEqualTo(1);
        assertThat(result.all()).as(result.toString()).doesNotContain("Hunter2").doesNotContain("Pw9");
        assertThat(result.err()).as(result.toString()).contains("syntax error at or near \"***\"")
                .contains("  1 | CREATE ROLE pgshift_test_bare LOGIN PASSWORD ***\n");
    }
}
