package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** The packaged jar as users run it: exit codes, secrets, confirmation, and two runners at once. */
class CliProcessIT {

    private static final String SECRET = "Sup3r-s3cret/pw";

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private Cli.Result run(String... args) throws Exception {
        return Cli.process(db.workDir(), Map.of(), args);
    }

    @Test
    void versionAndHelpExitZero() throws Exception {
        Cli.Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("pgshift ");

        Cli.Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("status", "apply", "dry-run", "mark-applied", "mark-reverted", "Exit codes");
        assertThat(run("apply", "--help").out()).contains("--include-all", "--to", "--lock-timeout");
    }

    @Test
    void anUnknownOptionExitsTwo() throws Exception {
        Cli.Result usage = run("status", "--no-such-option");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void aUrlThatIsNotPostgresqlOrAServerThatDoesNotAnswerExitsThree() throws Exception {
        Cli.Result badUrl = run("--database-url", "mysql://root@localhost/app", "status");
        assertThat(badUrl.code()).isEqualTo(3);
        assertThat(badUrl.err()).contains("postgresql://");

        Cli.Result dead = run("--database-url", "postgresql://app:pw@127.0.0.1:1/app", "status");
        assertThat(dead.code()).isEqualTo(3);
        assertThat(dead.err()).contains("Cannot connect to postgresql://app:***@127.0.0.1:1/app")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void statusCheckExitsOneWhileMigrationsArePendingAndZeroOnceApplied() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        Cli.Result pending = run("--database-url", db.urlString(), "status", "--check");
        assertThat(pending.code()).isEqualTo(1);
        assertThat(run("--database-url", db.urlString(), "apply").code()).isZero();
        assertThat(run("--database-url", db.urlString(), "status", "--check").code()).isZero();
    }

    @Test
    void aFailedMigrationExitsOneWithoutAStackTrace() throws Exception {
        db.write("2_bad.sql", "select from;");
        Cli.Result failed = run("--database-url", db.urlString(), "apply");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).contains("SQLSTATE 42601").doesNotContain("\tat ");
    }

    @Test
    void passwordsNeverAppearInAnyOutput() throws Exception {
        db.execute("CREATE ROLE secret_user LOGIN SUPERUSER PASSWORD '" + SECRET + "'");
        DatabaseUrl base = db.url();
        String url = "postgresql://secret_user:" + java.net.URLEncoder.encode(SECRET, "UTF-8") + "@" + base.host() + ":"
                + base.port() + "/" + base.database() + "?application_name=secret-test";
        db.write("1_ok.sql", "create table ok (id int);");
        db.write("2_bad.sql", "select 1/0;");

        Files.writeString(db.workDir().resolve(".env"), "DATABASE_URL=" + url + "\n");
        Cli.Result fromEnvFile = run("--verbose", "apply");
        Cli.Result json = run("status", "--json");
        Cli.Result deadVerbose = run("--verbose", "--database-url",
                "postgresql://secret_user:" + java.net.URLEncoder.encode(SECRET, "UTF-8") + "@127.0.0.1:1/x", "apply");
        Cli.Result jdbcForm = run("--database-url", "jdbc:postgresql://127.0.0.1:1/x?user=u&password=" + SECRET, "status");

        assertThat(fromEnvFile.code()).isEqualTo(1);
        assertThat(fromEnvFile.err()).contains("SQLSTATE 22012");
        assertThat(json.out()).contains("\"database\":\"postgresql://secret_user:***@");
        assertThat(deadVerbose.code()).isEqualTo(3);
        assertThat(jdbcForm.code()).isEqualTo(3);
        for (Cli.Result r : new Cli.Result[] {fromEnvFile, json, deadVerbose, jdbcForm}) {
            assertThat(r.all()).doesNotContain(SECRET).doesNotContain("Sup3r-s3cret");
        }
        assertThat(deadVerbose.err()).as("--verbose prints the stack trace, still masked").contains("\tat ");
    }

    @Test
    void aNonLocalTargetNeedsYesWithoutATerminal() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        // 0.0.0.0 reaches this machine's server but is not a loopback name, so it counts as remote.
        DatabaseUrl u = db.url();
        String remote = TestPostgres.urlString(new DatabaseUrl("0.0.0.0", u.port(), u.database(), u.user(), u.password(), Map.of()));

        Cli.Result refused = run("--database-url", remote, "apply");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("Refusing to apply 1 migration(s) on database " + u.database()
                + " on REMOTE host 0.0.0.0:" + u.port()).contains("--yes");
        assertThat(db.tableExists("ok")).isFalse();
        assertThat(run("--database-url", remote, "mark-applied", "1").code()).isEqualTo(2);
        assertThat(db.ledgerVersions()).isEmpty();

        assertThat(run("--database-url", remote, "--yes", "apply").code()).isZero();
        assertThat(db.tableExists("ok")).isTrue();
        assertThat(run("--database-url", remote, "mark-reverted", "1").code()).isEqualTo(2);
        assertThat(run("--database-url", remote, "mark-reverted", "--yes", "1").code()).isZero();
    }

    @Test
    void aSecondRunnerStartedWhileTheFirstAppliesWaitsForItAndAppliesNothingAgain() throws Exception {
        db.write("1_slow.sql", "create table runs (file int);\ninsert into runs values (1);\n" + MigrationDb.GATE);
        db.write("2_next.sql", "insert into runs values (2);\n");
        db.write("3_last.sql", "insert into runs values (3);\n");

        Process first;
        Process second;
        try (Connection gate = db.closeTheGate()) {
            first = Cli.start(db.workDir(), Map.of(), "--database-url", db.urlString(), "apply");
            await().atMost(Duration.ofSeconds(60)).until(() -> db.waitingAtTheGate() == 1); // inside 1_slow.sql
            second = Cli.start(db.workDir(), Map.of(), "--database-url", db.urlString(), "apply");
            await().atMost(Duration.ofSeconds(60)).until(() -> db.waitingForTheMigrationLock() == 1);
        }
        Cli.Result a = Cli.finish(first);
        Cli.Result b = Cli.finish(second);

        assertThat(a.code()).as(a.toString()).isZero();
        assertThat(b.code()).as(b.toString()).isZero();
        assertThat(db.column("select file from runs order by file")).containsExactly("1", "2", "3");
        assertThat(db.ledgerVersions()).containsExactly("1", "2", "3");
        assertThat(a.out()).contains("Applied 3 migration(s)");
        assertThat(b.out()).contains("Nothing to apply");
    }

    @Test
    void aHeldLockTimesOutNamingItsHolder() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        Properties props = db.url().connectionProperties();
        props.setProperty("ApplicationName", "holder-app");
        try (Connection holder = java.sql.DriverManager.getConnection(db.url().jdbcUrl(), props);
             Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + 0x7067736869660001L + ")");
            var rs = st.executeQuery("select pg_backend_pid()");
            rs.next();
            int pid = rs.getInt(1);

            Cli.Result r = run("--database-url", db.urlString(), "apply", "--lock-timeout", "1s");

            assertThat(r.code()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("Timed out after 1000 ms waiting for the migration lock, held by pid " + pid
                    + " (application holder-app");
            assertThat(db.tableExists("ok")).isFalse();
        }
        assertThat(run("--database-url", db.urlString(), "apply", "--lock-timeout", "1s").code()).isZero();
    }

    @Test
    void withoutAnyDatabaseUrlItRunsOnAnEmbeddedServerKeptBetweenRuns() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");

        Cli.Result apply = run("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("No DATABASE_URL configured: using the embedded PostgreSQL in .pgshift");
        Cli.Result status = run("status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("1 +ok +applied");
        assertThat(db.workDir().resolve(".pgshift/data/PG_VERSION")).exists();
    }

    private Cli.Result piped(String lines) throws Exception {
        return Cli.finish(Cli.startWithInput(db.workDir(), Map.of(), lines, "--database-url", db.urlString()));
    }

    @Test
    void withoutACommandItRunsPipedLinesAsAShellInOrder() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");

        Cli.Result ok = piped("status\n# a comment\napply\n\nstatus --check\n");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).containsPattern("1 +ok +pending").contains("Applied 1 migration(s)")
                .containsPattern("1 +ok +applied").doesNotContain("pgshift>");
        assertThat(ok.out().indexOf("pending")).isLessThan(ok.out().indexOf("Applied 1"));
    }

    @Test
    void aFailedPipedLineMakesTheWholeRunFailButTheNextLinesRun() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        assertThat(db.pgshift("apply").code()).isZero();

        Cli.Result failed = piped("status --no-such-option\nstatus\n");
        assertThat(failed.code()).as("a failed line makes the whole run fail").isEqualTo(1);
        assertThat(failed.out()).containsPattern("1 +ok +applied");
    }

    @Test
    void pipedLinesAfterExitAreNotRun() throws Exception {
        Cli.Result exit = piped("exit\nbogus\n");
        assertThat(exit.code()).as("lines after exit are not run").isZero();
    }

    @Test
    void misspelledAndShellOnlyCommandsAreUsageErrorsThatSayWhatToType() throws Exception {
        Cli.Result typo = run("stauts");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("Unknown command 'stauts'; did you mean 'status'?");
        assertThat(run("stauts", "--help").code()).as("not the help of a command that does not exist").isEqualTo(2);

        for (String[] args : new String[][] {{"connect", "postgresql://app@db.invalid/app"}, {"connect", "--help"},
                {"help", "connect"}}) {
            Cli.Result connect = run(args);
            assertThat(connect.code()).as(connect.toString()).isEqualTo(2);
            assertThat(connect.err()).contains("connect is a shell command: start the shell with ./pgshift, then type "
                    + "connect URL; on the command line use --database-url");
        }
        for (String[] args : new String[][] {{"rescan", "--help"}, {"help", "rescan"}}) {
            Cli.Result rescan = run(args);
            assertThat(rescan.code()).as(rescan.toString()).isEqualTo(2);
            assertThat(rescan.err()).contains("rescan is a shell command");
        }
    }

    @Test
    void theShellsStartOptionsHoldForEveryLineAndALineCannotChangeThem() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);");
        Path other = Files.createDirectories(db.workDir().resolve("other"));
        Files.writeString(other.resolve("7_other.sql"), "create table other (id int);");

        Cli.Result shell = Cli.finish(Cli.startWithInput(db.workDir(), Map.of(),
                "status\napply --database-url postgresql://x@db.invalid/db\nstatus --dir migrations\nstauts\nexit\n",
                "--database-url", db.urlString(), "--dir", "other"));
        assertThat(shell.code()).as(shell.toString()).isEqualTo(1);
        assertThat(shell.out()).containsPattern("7 +other +pending").doesNotContain("1_ok").doesNotContain("Applying");
        assertThat(shell.err()).contains("--database-url is given when the shell starts; type connect URL to switch databases.")
                .contains("--dir is given when the shell starts")
                .contains("Unknown command 'stauts'; did you mean 'status'? Type 'help' for the commands.")
                .doesNotContain("Run 'pgshift");
    }
}
