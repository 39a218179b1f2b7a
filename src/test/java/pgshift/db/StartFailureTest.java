package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** What the embedded server's start wrote to its log, turned into one message; only refused data is called unusable. */
class StartFailureTest {

    private static final Path HOME = Path.of("/p/.pgshift");
    private static final Path DATA = HOME.resolve("data");
    private static final Path LOG = HOME.resolve("server.log");

    private static String message(String log) {
        return StartFailure.of(HOME, DATA, LOG, log).getMessage();
    }

    @Test
    void dataFromAnotherVersionIsUnusableAndACopyIsKeptFirst() {
        assertThat(message("""
                waiting for server to start....2026-11-27 09:53:33.495 UTC [1] FATAL:  database files are incompatible with server
                2026-11-27 09:53:33.495 UTC [1] DETAIL:  The data directory was initialized by PostgreSQL version 11, which is not compatible with this version 17.11.
                 stopped waiting
                pg_ctl: could not start server
                pgshift: the embedded PostgreSQL did not start: pg_ctl could not start the server
                """)).isEqualTo("The embedded PostgreSQL cannot use the data in /p/.pgshift/data: FATAL: database files are "
                + "incompatible with server DETAIL: The data directory was initialized by PostgreSQL version 11, which is "
                + "not compatible with this version 17.11. Keep a copy of it first (mv /p/.pgshift/data /p/.pgshift/data.saved; "
                + "the PostgreSQL version that made it can still open it), then run the command again: pgshift starts an "
                + "empty database there. Its log is /p/.pgshift/server.log.");
    }

    @Test
    void aFolderInitdbCannotUseIsUnusableToo() {
        assertThat(message("""
                initdb: error: directory "/p/.pgshift/data" exists but is not empty
                initdb: hint: If you want to create a new database system, either remove or empty the directory "/p/.pgshift/data" or run initdb with an argument other than "/p/.pgshift/data".
                """)).startsWith("The embedded PostgreSQL cannot use the data in /p/.pgshift/data: initdb: error: directory")
                .doesNotContain("either remove or empty").contains("Keep a copy of it first");
    }

    @Test
    void aBadSettingKeepsTheDataAndNamesTheSettingAndTheLog() {
        String message = message("""
                waiting for server to start....2026-11-27 09:53:33.495 UTC [32365] LOG:  invalid value for parameter "shared_buffers": "lots"
                2026-11-27 09:53:33.495 UTC [32365] FATAL:  configuration file "/p/.pgshift/data/postgresql.conf" contains errors
                 stopped waiting
                pg_ctl: could not start server
                """);
        assertThat(message).startsWith("The embedded PostgreSQL in /p/.pgshift did not start: LOG: invalid value for "
                        + "parameter \"shared_buffers\": \"lots\" FATAL: configuration file \"/p/.pgshift/data/postgresql.conf\" "
                        + "contains errors. Its log is /p/.pgshift/server.log; the data in /p/.pgshift/data is kept as it is.")
                .doesNotContain("mv ").doesNotContainIgnoringCase("delete");
    }

    @Test
    void withoutServerLinesTheStartersOwnReasonIsGiven() {
        assertThat(message("pgshift: the embedded PostgreSQL did not start: Gave up waiting for server to start after 90000ms\n"))
                .startsWith("The embedded PostgreSQL in /p/.pgshift did not start: Gave up waiting for server to start after 90000ms. "
                        + "Its log is");
        assertThat(message("")).startsWith("The embedded PostgreSQL in /p/.pgshift did not start: no reason given. Its log");
    }
}
