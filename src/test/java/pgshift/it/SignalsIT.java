package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** Ctrl-C and SIGTERM on a command-line run: the statement stops on the server before the process exits. */
class SignalsIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalCancelsTheRunningMigrationOnTheServerAndReleasesTheLock(String signal, int exitCode) throws Exception {
        db.write("1_quick.sql", "create table quick (id int);\n");
        db.write("2_slow.sql", "create table slow (id int);\nselect pg_sleep(60);\n");
        Process apply = Cli.start(db.workDir(), Map.of(), "--database-url", db.urlString(), "apply");
        await("the slow file runs").atMost(Duration.ofSeconds(60))
                .until(() -> TestPostgres.isRunning(db.url(), "create table slow"));

        new ProcessBuilder("kill", "-" + signal, Long.toString(apply.pid())).inheritIO().start().waitFor();
        Cli.Result r = Cli.finish(apply);

        assertThat(r.code()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err()).contains("Cancelled: the running statement was stopped on the server")
                .doesNotContain("Exception");
        // The process has exited; nothing of it may still run or hold the lock on the server.
        assertThat(TestPostgres.isRunning(db.url(), "create table slow")).isFalse();
        assertThat(db.value("select count(*) from pg_locks where locktype = 'advisory'")).isEqualTo("0");
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.tableExists("slow")).isFalse();
    }
}
