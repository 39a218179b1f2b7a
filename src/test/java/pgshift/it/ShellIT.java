package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import pgshift.config.DatabaseUrl;
import pgshift.testing.MigrationDb;
import pgshift.testing.ShellSession;
import pgshift.testing.TestPostgres;
import pgshift.testing.VisibleLine;

/** The interactive shell, driven through a JLine dumb terminal over byte streams. */
class ShellIT {

    /** Ctrl-U: JLine's unix-line-discard. */
    private static final String CLEAR_LINE = "\u0015";

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @BeforeEach
    void writeThreeMigrations() throws Exception {
        db.write("1_accounts.sql", "create table accounts (id serial primary key, email text);\n");
        db.write("2_seed.sql", "insert into accounts (email) values ('a@example.com'), ('b@example.com');\n");
        db.write("3_index.sql", "create index accounts_email_idx on accounts (email);\n");
    }

    private ShellSession shell() {
        return ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()), db.workDir().resolve("history"));
    }

    /** The shell at its first prompt, after applying every migration with a CLI run. */
    private ShellSession shellWithAllApplied() {
        assertThat(db.pgshift("apply").code()).isZero();
        ShellSession shell = shell();
        shell.awaitPrompt();
        return shell;
    }

    @Test
    void theFirstPromptNamesTheDatabaseAndCountsThePendingMigrations() throws Exception {
        try (ShellSession shell = shell()) {
            String first = shell.awaitPrompt().screen();
            assertThat(first).contains("pgshift " + db.url().user() + "@localhost:" + db.url().port() + "/"
                    + db.url().database() + " local 3 pending> ");
        }
    }

    @Test
    void statusAndDryRunRunInTheShellAndChangeNothing() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("status")).contains("1        accounts  pending").contains("3 migration(s): 0 applied, 3 pending");
            assertThat(shell.run("dry-run --in-place")).contains("rolled back").endsWith("3 pending> ");
        }
    }

    @Test
    void thePromptCountFollowsApplyMarkAppliedAndMarkReverted() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("apply 1")).contains("1_accounts.sql").endsWith(" local 2 pending> ");
            assertThat(shell.run("mark-applied 2 --force")).endsWith(" local 1 pending> ");
            assertThat(shell.run("mark-reverted 2")).endsWith(" local 2 pending> ");
            assertThat(shell.run("apply")).endsWith(" local 0 pending> ");
        }
    }

    @Test
    void historyAndShowDescribeTheAppliedMigrations() throws Exception {
        try (ShellSession shell = shellWithAllApplied()) {
            assertThat(shell.run("history 2")).contains("3  ").contains("index").contains("executed");
            assertThat(shell.run("show 2")).contains("Migration 2 seed: applied").contains("migrations/2_seed.sql")
                    .contains("insert into accounts (email) values ('a@example.com'), ('b@example.com');")
                    .contains("Recorded statements: the same 1");
        }
    }

    @Test
    void sqlKeepsTheLineAsTypedAndReadsThroughAReadOnlyTransaction() throws Exception {
        try (ShellSession shell = shellWithAllApplied()) {
            assertThat(shell.run("sql select email, 'it''s' as \"Quoted\" from accounts order by 1"))
                    .contains("email          Quoted").contains("a@example.com  it's").contains("2 row(s)");
            assertThat(shell.run("sql delete from accounts")).contains("SQLSTATE 25006").contains("sql --write");
            assertThat(db.value("select count(*) from accounts")).isEqualTo("2");
        }
    }

    @Test
    void sqlWritesOnlyWithWrite() throws Exception {
        try (ShellSession shell = shellWithAllApplied()) {
            assertThat(shell.run("sql --write delete from accounts where email like 'b%'")).contains("1 row(s) affected");
            assertThat(db.value("select count(*) from accounts")).isEqualTo("1");
        }
    }

    @Test
    void sqlPointsAtTheErrorAndRunsOneStatementOnly() throws Exception {
        try (ShellSession shell = shellWithAllApplied()) {
            assertThat(shell.run("sql select nosuchcolumn from accounts"))
                    .contains("sql:1:8").contains("SQLSTATE 42703").contains("       ^");
            assertThat(shell.run("sql select 1; select 2")).contains("sql runs one statement");
        }
    }

    @Test
    void newCreatesATimestampedFileThatSortsAfterTheShortVersionsAsOutOfOrder() throws Exception {
        try (ShellSession shell = shellWithAllApplied()) {
            String created = shell.run("new Add Phone");
            assertThat(created).containsPattern("migrations/\\d{14}_add_phone\\.sql");
            // Versions are text, as in the Supabase CLI: "3" sorts after "2026...", so the new file is out of order.
            assertThat(shell.run("status")).contains("add_phone  out-of-order").endsWith(" local 0 pending, 1 out-of-order> ");
            assertThat(shell.run("rescan")).contains("Rescanned migrations: 4 file(s); 3 applied, 0 pending");
        }
    }

    @Test
    void helpListsTheShellsCommandsAndACommandsHelpUsesItsShellName() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("help")).contains("show").contains("sql").contains("connect").contains("rescan");
            assertThat(shell.run("help apply")).contains("Usage: apply ").doesNotContain("pgshift apply");
        }
    }

    @Test
    void aMisspelledCommandSuggestsTheRightOneAndKeepsThePrompt() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("stauts")).contains("Unknown command 'stauts'; did you mean 'status'?")
                    .doesNotContain("pgshift --help").endsWith(" local 3 pending> ");
        }
    }

    @Test
    void connectSwitchesToAnotherDatabaseAndThePromptFollowsIt() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            DatabaseUrl other = TestPostgres.freshDatabase("shell_other");
            assertThat(shell.run("connect " + TestPostgres.urlString(other)))
                    .contains("Connected to " + other.masked() + " (local)")
                    .endsWith(other.database() + " local 3 pending> ");
            shell.type("exit\n");
            assertThat(shell.awaitExit()).isZero();
        }
    }

    @Test
    void tabCompletesCommandsOptionsAndTheVersionsEachCommandTakes() throws Exception {
        assertThat(db.pgshift("apply", "--to", "2").code()).isZero();
        db.write("4_more.sql", "alter table accounts add column phone text;\n");
        // A dumb terminal's type turns completion off in JLine: the same terminal, typed as ANSI.
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()),
                db.workDir().resolve("history"), "ansi")) {
            shell.awaitPrompt();
            shell.type("mark-reverted \t\t");
            assertThat(shell.awaitOutput("(seed)")).as("applied versions, with their names").contains("(accounts)")
                    .doesNotContain("(index)").doesNotContain("(more)");
            shell.type(CLEAR_LINE + "apply \t\t");
            assertThat(shell.awaitOutput("(more)")).as("pending versions").contains("(index)").doesNotContain("(seed)");
            shell.type(CLEAR_LINE + "show \t\t");
            assertThat(shell.awaitOutput("(more)")).as("every version").contains("(accounts)").contains("(seed)");
            shell.type(CLEAR_LINE + "he\tsq\t");
            shell.awaitOutput("help sql");
            shell.type(CLEAR_LINE + "status --j\t");
            shell.awaitOutput("status --json");
            shell.type(CLEAR_LINE);
            assertThat(shell.run("mark-rev\t 1")).as("a unique command completes in place").contains("marked reverted: 1");
        }
    }

    @Test
    void ctrlCCancelsTheRunningStatementAndTheShellGoesOn() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            shell.type("sql select pg_sleep(30)\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.isRunning(db.url(), "select pg_sleep(30)"));
            shell.interrupt();
            String out = shell.awaitOutput("pending> ");
            assertThat(out.toLowerCase()).as("the command says it was cancelled").contains("cancel");
            assertThat(out).as("the shell adds nothing of its own").doesNotContain("Cancelling the running statement")
                    .doesNotContain("Interrupted").doesNotContain("Unexpected").doesNotContain("Lost the connection");
            assertThat(TestPostgres.isRunning(db.url(), "select pg_sleep(30)")).as("stopped on the server, not left running")
                    .isFalse();
            assertThat(shell.run("status")).contains("3 pending");
        }
    }

    @Test
    void ctrlCDuringApplySaysOnlyThatItWasCancelled() throws Exception {
        db.write("2_seed.sql", "select pg_sleep(30);\n");
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            shell.type("apply\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.isRunning(db.url(), "select pg_sleep(30)"));
            shell.interrupt();
            String out = shell.awaitOutput("pending> ");
            assertThat(out.toLowerCase()).contains("cancel");
            assertThat(out).doesNotContain("Cancelling the running statement").doesNotContain("Interrupted")
                    .doesNotContain("Unexpected").doesNotContain("Lost the connection").doesNotContain("\tat ");
            assertThat(out).as("1_accounts was committed before the cancel; 2 and 3 are not").endsWith(" local 2 pending> ");
        }
    }

    @Test
    void startOptionsTypedAfterACommandAreRefusedWithWhatToDoInstead() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("apply --database-url postgresql://x@db.invalid/db"))
                    .contains("error: --database-url is given when the shell starts; type connect URL to switch databases.")
                    .doesNotContain("Applying").endsWith(" local 3 pending> ");
            assertThat(shell.run("status --dir other/")).contains("error: --dir is given when the shell starts")
                    .doesNotContain("migration(s)").endsWith(" local 3 pending> ");
        }
    }

    @Test
    void anUnknownOptionPointsToTheCommandsShellHelp() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("apply --nope")).contains("Unknown option: '--nope'")
                    .contains("Type 'help apply' for its options.").doesNotContain("pgshift apply --help");
        }
    }

    @Test
    void verboseAfterACommandHoldsForThatLineOnly() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("sql --verbose select 1/0")).as("--verbose: a stack trace").contains("SQLSTATE 22012")
                    .contains("\tat ");
            assertThat(shell.run("sql select 1/0")).as("for that line only").contains("SQLSTATE 22012")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aLockTimeoutAfterACommandHoldsForThatLineOnly() throws Exception {
        try (ShellSession shell = shell(); Connection holder = TestPostgres.connect(db.url());
             Statement st = holder.createStatement()) {
            shell.awaitPrompt();
            st.execute("select pg_advisory_lock(" + 0x7067736869660001L + ")");
            assertThat(shell.run("apply --lock-timeout 1s")).contains("Waiting up to 1 s for the migration lock")
                    .contains("Timed out after 1000 ms").endsWith(" local 3 pending> ");
            shell.type("apply\n");
            shell.awaitOutput("Waiting up to 10 s for the migration lock");
            st.execute("select pg_advisory_unlock(" + 0x7067736869660001L + ")");
            assertThat(shell.awaitOutput("pending> ")).contains("Applied 3 migration(s)").endsWith(" local 0 pending> ");

            shell.type("quit\n");
            assertThat(shell.awaitExit()).isZero();
        }
    }

    @Test
    void thePromptCountsModifiedMissingAndOutOfOrderMigrationsToo() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("apply")).endsWith(" local 0 pending> ");
            db.write("1_accounts.sql", "create table accounts (id bigserial primary key, email text);\n");
            Files.delete(db.folder().resolve("2_seed.sql"));
            db.write("0_early.sql", "select 1;\n");
            db.write("4_later.sql", "select 1;\n");
            assertThat(shell.run("status")).endsWith(" local 1 pending, 1 modified, 1 missing, 1 out-of-order> ");
        }
    }

    @Test
    void ctrlCStopsWaitingForTheMigrationLock() throws Exception {
        try (ShellSession shell = shell(); Connection holder = TestPostgres.connect(db.url());
             Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + 0x7067736869660001L + ")");
            shell.awaitPrompt();
            shell.type("apply\n");
            shell.awaitOutput("Waiting up to 10 s for the migration lock");
            shell.interrupt();
            assertThat(shell.awaitOutput("pending> ")).contains("Cancelled while waiting for the migration lock: nothing was run.");
            assertThat(shell.run("status")).contains("3 pending");
        }
    }

    @Test
    void aServerRestartUnderAnOpenShellCostsOneFailedCommandAndOneNotice() throws Exception {
        Path data = db.workDir().resolve("pgdata");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres server = startServer(data, port);
        String url = "postgresql://postgres@localhost:" + port + "/postgres";
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", url), db.workDir().resolve("history"))) {
            shell.awaitPrompt();
            assertThat(shell.run("apply 1")).endsWith("2 pending> ");

            server.close();
            String down = shell.run("status");
            assertThat(down).contains("error: Cannot connect to postgresql://postgres@localhost:" + port)
                    .doesNotContain("Exception").endsWith("unreachable> ");

            server = startServer(data, port);
            String back = shell.run("status");
            assertThat(back).contains("Connected to postgresql://postgres@localhost:" + port + "/postgres again.")
                    .contains("1 applied, 2 pending").endsWith("2 pending> ");
        } finally {
            server.close();
        }
    }

    /** The shell with its watch on, once it has applied the three pending files. */
    private ShellSession shellWatching() {
        ShellSession shell = shell();
        shell.awaitPrompt();
        assertThat(shell.run("watch on --settle 50")).contains("Watching migrations (settle 50 ms");
        shell.awaitScreen("applied 3_index.sql");
        shell.run("status"); // a fresh prompt, now that the pending files are in
        return shell;
    }

    @Test
    void watchOnAppliesThePendingFilesAndThePromptSaysItIsWatching() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            assertThat(shell.run("watch status")).contains("Watch: not watching");
            assertThat(shell.run("watch on --settle 50")).contains("Watching migrations (settle 50 ms");
            shell.awaitScreen("applied 3_index.sql");
            shell.run("status"); // a fresh prompt, now that the pending files are in
            assertThat(shell.run("status")).contains("0 pending").endsWith(" local 0 pending [watching]> ");
        }
    }

    @Test
    void aFileTheWatchCannotApplyShowsABlockInThePromptUntilItIsFixed() throws Exception {
        try (ShellSession shell = shellWatching()) {
            db.write("4_broken.sql", "alter table nosuchtable add column x int;\n");
            String failed = shell.awaitOutput("[watch: blocked on 4]> ");
            assertThat(failed).contains("error: ").contains("4_broken.sql:1:1").contains("SQLSTATE 42P01");
            assertThat(shell.run("watch status")).contains("blocked on 4");

            db.write("4_broken.sql", "alter table accounts add column phone text;\n");
            shell.awaitScreen("applied 4_broken.sql");
            // The prompt got shorter when the block ended: nothing of "blocked on 4]" is left on the line.
            String unblocked = "pgshift " + db.url().user() + "@localhost:" + db.url().port() + "/" + db.url().database()
                    + " local 0 pending [watching]>";
            await().atMost(Duration.ofSeconds(30)).until(() -> VisibleLine.of(shell.screen()).endsWith("[watching]>"));
            assertThat(VisibleLine.of(shell.screen())).isEqualTo(unblocked);
            assertThat(shell.run("status")).contains("4 applied").endsWith(" 0 pending [watching]> ");
        }
    }

    @Test
    void aWatchMessageWhileALineIsTypedGoesAboveItAndTheTypingGoesOn() throws Exception {
        try (ShellSession shell = shellWatching()) {
            db.execute("alter table accounts add column phone text");
            shell.type("hist");
            db.write("5_phone_index.sql", "create index accounts_phone_idx on accounts (phone);\n");
            shell.awaitScreen("applied 5_phone_index.sql");
            shell.awaitScreen("[watching]> hist");
            assertThat(shell.run("ory 1")).contains("5        phone_index");
        }
    }

    @Test
    void watchOffStopsApplyingSavedFiles() throws Exception {
        try (ShellSession shell = shellWatching()) {
            assertThat(shell.run("watch off")).contains("Stopped watching.").endsWith(" 0 pending> ");
            db.write("6_late.sql", "select 1;\n");
            assertThat(shell.run("status")).as("nothing is applied once the watch is off").contains("6        late")
                    .endsWith(" 1 pending> ");
        }
    }

    @Test
    void aPasswordTypedInAConnectLineIsMaskedInTheHistoryFile() throws Exception {
        try (ShellSession shell = shell()) {
            shell.awaitPrompt();
            String out = shell.run("connect postgresql://someone:s3cret-pw@127.0.0.1:1/nowhere");
            String answer = out.substring(out.indexOf('\n') + 1); // after the terminal's echo of the typed line
            assertThat(answer).contains("Cannot connect").doesNotContain("s3cret-pw");
            assertThat(shell.run("status")).as("still on the first database").contains("3 pending");
            shell.type("exit\n");
            shell.awaitExit();
        }
        String history = Files.readString(db.workDir().resolve("history"));
        assertThat(history).contains("connect postgresql://someone:***@127.0.0.1:1/nowhere").doesNotContain("s3cret-pw");
    }

    private static EmbeddedPostgres startServer(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
}
