package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.command.Context;
import pgshift.config.Settings;
import pgshift.console.Console;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.watch.OnEdit;
import pgshift.watch.Watch;
import pgshift.watch.WatchListener;
import pgshift.watch.WatchOptions;

/** watch against a real PostgreSQL and a real folder: what it applies, when, and what it refuses to. */
class WatchIT {

    private static final Duration SETTLE = WatchOptions.DEFAULT_SETTLE;

    @RegisterExtension
    final MigrationDb db = new MigrationDb();
    Context ctx;
    Watch watch;
    final Heard heard = new Heard();

    /** Everything the watch said, in order. */
    static final class Heard implements WatchListener {
        final List<String> infos = new CopyOnWriteArrayList<>();
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void info(String message) {
            infos.add(message);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public void error(String message) {
            errors.add(message);
        }

        List<String> appliedFiles() {
            return infos.stream().filter(m -> m.startsWith("applied ")).map(m -> m.split(" ")[1]).toList();
        }
    }

    @AfterEach
    void tearDown() {
        if (watch != null) {
            watch.stop();
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    private Watch start(OnEdit onEdit, Duration settle) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(sink, true, StandardCharsets.UTF_8);
        ctx = new Context(new Settings(db.url(), "the test", db.folder()), new Console(print, print, false), db.workDir());
        watch = Watch.start(ctx.target(), ctx.planner(), ctx::display, new WatchOptions(settle, onEdit, false, Duration.ofSeconds(30)), heard);
        return watch;
    }

    private Watch start() {
        return start(OnEdit.WARN, SETTLE);
    }

    private void awaitLedger(String... versions) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(db.ledgerVersions()).containsExactly(versions));
    }

    @Test
    void appliesPendingFilesAtStartThenEachNewFileOnceSaved() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        start();
        awaitLedger("1");

        db.write("2_second.sql", "create table second_table (id int);\n");

        awaitLedger("1", "2");
        assertThat(db.tableExists("second_table")).isTrue();
        assertThat(db.column("SELECT origin FROM supabase_migrations.pgshift_applied")).containsOnly("executed");
        assertThat(heard.appliedFiles()).containsExactly("1_first.sql", "2_second.sql");
        assertThat(heard.errors).isEmpty();
        assertThat(heard.warnings).isEmpty();
        assertThat(watch.status().applied()).isEqualTo(2);
        assertThat(watch.status().blockedOn()).isNull();
    }

    @Test
    void aFileMadeByNewWaitsAsADraftAndIsAppliedOnceWithTheSqlSavedLater() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        start();
        awaitLedger("1");

        Cli.Result made = db.pgshift("new", "add_widgets");
        assertThat(made.code()).as(made.all()).isZero();
        Path draft;
        try (var files = Files.list(db.folder())) {
            draft = files.filter(f -> f.getFileName().toString().endsWith("_add_widgets.sql")).findFirst().orElseThrow();
        }
        db.write("3_after.sql", "create table after_table (id int);\n"); // a later file waits behind the draft
        String name = draft.getFileName().toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.warnings.stream().anyMatch(w -> w.contains("waiting for SQL in " + name)));
        assertThat(heard.warnings).filteredOn(w -> w.contains("waiting for SQL")).singleElement().asString()
                .contains("1 later file(s) wait behind it");
        assertThat(db.ledgerVersions()).containsExactly("1");
        String version = name.substring(0, name.indexOf('_'));
        assertThat(db.pgshift("status").out()).containsPattern(version + " +add_widgets +draft");

        String sql = Files.readString(draft) + "create table widgets (id int primary key);\n";
        Files.writeString(draft, sql);

        awaitLedger("1", "3", version); // by number; by file name the draft ran before 3_after.sql
        assertThat(db.tableExists("widgets")).isTrue();
        assertThat(db.tableExists("after_table")).isTrue();
        assertThat(db.value("SELECT array_to_string(statements, '|') FROM supabase_migrations.schema_migrations "
                + "WHERE version = '" + version + "'")).startsWith("-- add widgets").endsWith("create table widgets (id int primary key)");
        assertThat(db.pgshift("status").out()).containsPattern(version + " +add_widgets +applied"); // the row is the file's
        assertThat(heard.appliedFiles()).containsExactly("1_first.sql", name, "3_after.sql");
        assertThat(heard.warnings).filteredOn(w -> w.contains("waiting for SQL")).hasSize(1);
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void anEmptyFileIsADraftUntilItGetsAStatement() throws Exception {
        start();
        db.write("1_empty.sql", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.warnings.stream().anyMatch(w -> w.contains("waiting for SQL in 1_empty.sql")));
        assertThat(db.ledgerVersions()).isEmpty();

        db.write("1_empty.sql", "create table no_longer_empty (id int);\n");

        awaitLedger("1");
        assertThat(db.tableExists("no_longer_empty")).isTrue();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void aBurstOfTwentyFilesIsAppliedInVersionOrderOnceEach() throws Exception {
        db.write("00_log.sql", "create table arrivals (seq serial primary key, version int not null);\n");
        start();
        awaitLedger("00");

        // git writes files in no particular order: newest first here, the worst case.
        for (int v = 20; v >= 1; v--) {
            db.write(String.format("%02d_step.sql", v), "insert into arrivals (version) values (" + v + ");\n"); // text order
        }

        String[] all = IntStream.rangeClosed(0, 20).mapToObj(v -> String.format("%02d", v)).toArray(String[]::new);
        awaitLedger(all);
        assertThat(db.column("SELECT version FROM arrivals ORDER BY seq"))
                .containsExactly(IntStream.rangeClosed(1, 20).mapToObj(String::valueOf).toArray(String[]::new));
        assertThat(heard.appliedFiles()).hasSize(21).doesNotHaveDuplicates();
        assertThat(heard.errors).isEmpty();
        assertThat(heard.warnings).isEmpty();
    }

    @Test
    void aPartialWriteIsAppliedOnceWithTheWholeContent() throws Exception {
        start(OnEdit.WARN, Duration.ofMillis(1000));
        Path file = db.folder().resolve("1_two_halves.sql");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("create table first_half (id int);\n");
            out.flush();
            Thread.sleep(100); // the scenario: a writer pausing mid-file, well within the settle time
            out.write("create table second_half (id int);\n");
        }

        awaitLedger("1");
        assertThat(db.value("SELECT array_length(statements, 1) FROM supabase_migrations.schema_migrations"))
                .isEqualTo("2");
        assertThat(db.tableExists("second_half")).isTrue();
        assertThat(heard.appliedFiles()).containsExactly("1_two_halves.sql");
        assertThat(heard.warnings).isEmpty();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void anEditorsAtomicSaveIsAppliedAndItsTempFileIgnored() throws Exception {
        start();
        Path temp = db.folder().resolve("1_atomic.sql.tmp4913");
        Files.writeString(temp, "create table saved_atomically (id int);\n");
        Files.move(temp, db.folder().resolve("1_atomic.sql"), StandardCopyOption.ATOMIC_MOVE);

        awaitLedger("1");
        assertThat(db.tableExists("saved_atomically")).isTrue();
        assertThat(heard.appliedFiles()).containsExactly("1_atomic.sql");
        assertThat(heard.warnings).isEmpty();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void aFailingFileBlocksLaterFilesUntilItIsSavedAgain() throws Exception {
        start();
        db.write("1_ok.sql", "create table ok_table (id int);\n");
        db.write("2_broken.sql", "create table half_done (id int);\nselect * from no_such_table;\n");
        db.write("3_later.sql", "create table later_table (id int);\n");
        db.write("4_last.sql", "create table last_table (id int);\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(watch.status().blockedOn()));
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.tableExists("half_done")).isFalse();
        assertThat(heard.errors).singleElement().asString()
                .contains("migrations/2_broken.sql:2:15")
                .contains("relation \"no_such_table\" does not exist (SQLSTATE 42P01)")
                .contains("2 | select * from no_such_table")
                .contains("Rolled back: nothing from 2_broken.sql was applied")
                .contains("watch: blocked on 2; 2 later file(s) wait. Save 2_broken.sql again to retry.");

        // The fix arrives as an editor's atomic save over the failed file.
        Path temp = db.folder().resolve("2_broken.sql~");
        Files.writeString(temp, "create table half_done (id int);\ncreate table no_such_table (id int);\n");
        Files.move(temp, db.folder().resolve("2_broken.sql"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        awaitLedger("1", "2", "3", "4");
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.status().blockedOn() == null);
        assertThat(heard.appliedFiles()).containsExactly("1_ok.sql", "2_broken.sql", "3_later.sql", "4_last.sql");
        assertThat(heard.errors).hasSize(1);
    }

    @Test
    void aBlockedVersionThatATypedApplyRanIsNoLongerBlockingAfterARecheck() throws Exception {
        db.write("1_needs_table.sql", "insert into made_by_hand values (1);\n");
        db.write("2_later.sql", "create table later_table (id int);\n");
        start();
        await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(watch.status().blockedOn()));

        db.execute("create table made_by_hand (id int)");
        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        watch.recheck();

        await().atMost(Duration.ofSeconds(30)).until(() -> watch.status().blockedOn() == null);
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(heard.appliedFiles()).isEmpty();
    }

    @Test
    void anEditedAppliedFileIsReportedOnceAndNotRunByDefault() throws Exception {
        db.write("1_table.sql", "create table first_table (id int);\n");
        start();
        awaitLedger("1");

        db.write("1_table.sql", "create table first_table (id int);\ncreate table sneaked_in (id int);\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> !heard.warnings.isEmpty());
        assertThat(heard.warnings).singleElement().asString()
                .contains("1_table.sql was edited after it was applied (state modified); nothing was run")
                .contains("show 1");
        assertThat(db.tableExists("sneaked_in")).isFalse();
        assertThat(db.value("SELECT array_length(statements, 1) FROM supabase_migrations.schema_migrations"))
                .isEqualTo("1");

        // Edited again, then a new file: once that one is applied, the second edit has been seen too.
        db.write("1_table.sql", "create table first_table (id int);\ncreate table sneaked_in_again (id int);\n");
        db.write("2_next.sql", "create table next_table (id int);\n");
        awaitLedger("1", "2");
        assertThat(heard.warnings).hasSize(1);
        assertThat(db.tableExists("sneaked_in_again")).isFalse();
    }

    @Test
    void anEditedAppliedFileIsReappliedWithOnEditReapply() throws Exception {
        db.write("1_rerunnable.sql", "create table if not exists kept (id int);\n");
        start(OnEdit.REAPPLY, SETTLE);
        awaitLedger("1");

        // Saved the way vim saves: the file is deleted, then written anew.
        Files.delete(db.folder().resolve("1_rerunnable.sql"));
        db.write("1_rerunnable.sql", "create table if not exists kept (id int);\n"
                + "create table if not exists added_later (id int);\n");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                db.value("SELECT array_length(statements, 1) FROM supabase_migrations.schema_migrations")).isEqualTo("2"));
        assertThat(db.tableExists("added_later")).isTrue();
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(db.column("SELECT origin FROM supabase_migrations.pgshift_applied")).containsExactly("executed");
        assertThat(heard.infos).anyMatch(m -> m.startsWith("re-applied 1_rerunnable.sql (2 statement(s)"));
        assertThat(heard.warnings).isEmpty();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void aFailingReappliedEditChangesNothingAndBlocksNothing() throws Exception {
        db.write("1_rerunnable.sql", "create table if not exists kept (id int);\n"
                + "create table if not exists added_later (id int);\n");
        start(OnEdit.REAPPLY, SETTLE);
        awaitLedger("1");

        // A failing edit changes nothing: the recorded version and its schema stay.
        db.write("1_rerunnable.sql", "create table if not exists kept (id int);\ncreate table broken_edit (id nosuchtype);\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> !heard.errors.isEmpty());
        assertThat(heard.errors.get(0)).contains("nosuchtype").contains("The ledger keeps the version of 1_rerunnable.sql");
        assertThat(db.value("SELECT array_length(statements, 1) FROM supabase_migrations.schema_migrations")).isEqualTo("2");
        assertThat(db.tableExists("added_later")).isTrue();
        assertThat(watch.status().blockedOn()).isNull();
    }

    @Test
    void aDeletedAppliedFileIsReportedAndNothingRuns() throws Exception {
        db.write("1_gone.sql", "create table stays (id int);\n");
        start();
        awaitLedger("1");
        String before = db.snapshot();

        Files.delete(db.folder().resolve("1_gone.sql"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !heard.warnings.isEmpty());
        assertThat(heard.warnings).singleElement().asString()
                .contains("migration 1_gone is applied but its file is gone (state missing); nothing was run");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void anOutOfOrderFileIsNotAppliedAndTheWarningNamesTheCommand() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        db.write("3_third.sql", "create table third_table (id int);\n");
        start();
        awaitLedger("1", "3");

        db.write("2_late.sql", "create table late_table (id int);\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> !heard.warnings.isEmpty());
        assertThat(heard.warnings).singleElement().asString()
                .contains("2_late.sql is older than the newest applied migration (3)")
                .contains("run 'apply 2 --include-all'");
        db.write("4_fourth.sql", "create table fourth_table (id int);\n");
        awaitLedger("1", "3", "4");
        assertThat(db.tableExists("late_table")).isFalse();
        assertThat(heard.warnings).hasSize(1);
    }

    @Test
    void warnsOnceAboutABadlyNamedFileAndIgnoresEditorFilesAndSubfolders() throws Exception {
        start();
        db.write(".1_hidden.sql.swp", "garbage");
        db.write("1_x.sql~", "garbage");
        db.write("4913", "");
        Files.createDirectories(db.folder().resolve("archive"));
        Files.writeString(db.folder().resolve("archive/9_old.sql"), "create table from_subfolder (id int);\n");
        db.write("notes.sql", "-- scratch\n");
        db.write("notes.sql", "-- scratch, edited\n");
        db.write("1_real.sql", "create table real_table (id int);\n");

        awaitLedger("1");
        db.write("2_marker.sql", "create table marker (id int);\n");
        awaitLedger("1", "2");
        assertThat(heard.warnings).singleElement().asString().contains("Skipping notes.sql");
        assertThat(db.tableExists("from_subfolder")).isFalse();
        assertThat(heard.errors).isEmpty();
    }

    @Test
    void aTypedApplyStartedWhileTheWatcherAppliesWaitsForItAndEachFileRunsOnce() throws Exception {
        db.write("00_runs.sql", "create table runs (version int not null);\n");
        start(OnEdit.WARN, Duration.ofMillis(20));
        awaitLedger("00");

        List<String> all = new ArrayList<>(List.of("00"));
        CompletableFuture<Cli.Result> typed;
        try (Connection gate = db.closeTheGate()) {
            db.write("01_run.sql", "insert into runs values (1);\n" + MigrationDb.GATE);
            all.add("01");
            await().atMost(Duration.ofSeconds(30)).until(() -> db.waitingAtTheGate() == 1); // the watcher, inside 01
            for (int v = 2; v <= 15; v++) {
                db.write(String.format("%02d_run.sql", v), "insert into runs values (" + v + ");\n"); // text order
                all.add(String.format("%02d", v));
            }
            typed = CompletableFuture.supplyAsync(() -> db.pgshift("apply"));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.waitingForTheMigrationLock() >= 1);
        }
        Cli.Result apply = typed.get(60, TimeUnit.SECONDS);
        assertThat(apply.code()).as(apply.toString()).isZero();

        awaitLedger(all.toArray(String[]::new));
        assertThat(db.value("SELECT count(*) FROM runs")).isEqualTo("15");
        assertThat(db.value("SELECT count(DISTINCT version) FROM runs")).isEqualTo("15");
        assertThat(heard.errors).isEmpty();
        assertThat(heard.appliedFiles()).doesNotHaveDuplicates();
    }

    @Test
    void stopReturnsOnlyOnceTheFileBeingAppliedHasStoppedOnTheServer() throws Exception {
        start();
        try (Connection gate = db.closeTheGate()) {
            db.write("1_stuck.sql", "create table stuck (id int);\n" + MigrationDb.GATE);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.waitingAtTheGate() == 1);

            watch.stop();

            assertThat(db.waitingAtTheGate()).as("the file's statement ended before stop returned").isZero();
            assertThat(watch.status().watching()).isFalse();
        }
        assertThat(db.tableExists("stuck")).as("its transaction was rolled back").isFalse();
        assertThat(db.ledgerVersions()).isEmpty();
    }

    @Test
    void refusesADatabaseOnAnAddressThatIsNotLoopbackBeforeConnecting() throws Exception {
        InetAddress here = nonLoopbackAddress();
        assumeTrue(here != null, "this machine has no non-loopback IPv4 address");
        // A server on this machine's own non-loopback address: local in fact, but not by the URL's text.
        try (ServerSocket server = new ServerSocket(0, 50, here)) {
            String url = "postgresql://app:secret@" + here.getHostAddress() + ":" + server.getLocalPort() + "/app";
            Cli.Result r = Cli.run(db.workDir(), "--database-url", url, "--dir", db.folder().toString(), "watch");

            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("Refusing to watch postgresql://app:***@" + here.getHostAddress())
                    .contains("--allow-remote").doesNotContain("secret");
            server.setSoTimeout(1);
            boolean connected;
            try (var ignored = server.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("a connection reached the server").isFalse();
        }
    }

    /** A name that cannot resolve: trying to connect would fail with "Cannot connect". */
    private static final String UNRESOLVABLE = "postgresql://app:secret@db.example.invalid:5432/app";

    @Test
    void refusesARemoteDatabaseBeforeTryingToConnect() throws Exception {
        Cli.Result refused = Cli.run(db.workDir(), "--database-url", UNRESOLVABLE, "--dir", db.folder().toString(), "watch");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("Refusing to watch").doesNotContain("Cannot connect");
    }

    @Test
    void allowRemoteLetsTheWatchTryARemoteDatabase() throws Exception {
        Cli.Result allowed = Cli.run(db.workDir(), "--database-url", UNRESOLVABLE, "--dir", db.folder().toString(),
                "watch", "--allow-remote");
        assertThat(allowed.code()).as(allowed.toString()).isEqualTo(3);
        assertThat(allowed.err()).contains("Cannot connect").doesNotContain("Refusing");
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void theCommandAppliesUntilSigtermThenExitsZero() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        Process p = Cli.start(db.workDir(), Map.of(), "--database-url", db.urlString(), "watch", "--settle", "100");
        StringBuffer out = new StringBuffer();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> copy(p.getInputStream(), out));
        StringBuffer err = new StringBuffer();
        CompletableFuture<Void> readingErr = CompletableFuture.runAsync(() -> copy(p.getErrorStream(), err));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("applied 1_first.sql"));
            assertThat(out.toString()).contains("Watching migrations for postgresql://");
            db.write("2_second.sql", "create table second_table (id int);\n");
            awaitLedger("1", "2");
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("applied 2_second.sql"));
        } finally {
            p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        }
        assertThat(p.waitFor()).as(out + "\n" + err).isZero();
        reading.get();
        readingErr.get();
        assertThat(out.toString()).endsWith("Stopped watching.\n");
        assertThat(err.toString()).isEmpty();
    }

    private static void copy(InputStream in, StringBuffer into) {
        try (in) {
            byte[] buf = new byte[4096];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            into.append("[read failed: ").append(e).append(']');
        }
    }

    @Test
    void aDeletedFolderStopsTheWatchWithAMessage() throws Exception {
        db.write("1_first.sql", "create table first_table (id int);\n");
        start();
        awaitLedger("1");
        try (var files = Files.walk(db.folder())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(heard.errors).singleElement().asString()
                .contains("Stopped watching").contains("deleted or moved"));
        assertThat(watch.status().watching()).isFalse();
    }
}
