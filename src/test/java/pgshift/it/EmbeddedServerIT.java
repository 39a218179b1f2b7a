package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/**
 * The embedded default as users meet it: a Ctrl-C while it starts, two pgshift at once on one
 * server, a server that stopped or left a stale lock file, data it cannot use.
 */
class EmbeddedServerIT {

    private static final Duration START = Duration.ofSeconds(120);

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private Path data() {
        return db.workDir().resolve(".pgshift/data");
    }

    /** The postmaster on this test's data folder, if one runs. */
    private Optional<ProcessHandle> postmaster() {
        String dataDir = data().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("bin/postgres") && c.contains("-D " + dataDir)).orElse(false))
                .findFirst();
    }

    /** The starter process pgshift runs (under setsid) for this test's data folder, if it runs. */
    private Optional<ProcessHandle> starter() {
        String dataDir = data().toString();
        return ProcessHandle.allProcesses()
                                // the java process itself: the setsid before it (same command line) is not yet in its own session
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> c.contains("pgshift.db.EmbeddedStart") && c.contains(dataDir)).orElse(false))
                .findFirst();
    }

    private void awaitNoServer() {
        await("the embedded server stops").atMost(Duration.ofSeconds(60)).until(() -> postmaster().isEmpty());
    }

    @Test
    void aCtrlCWhileTheServerStartsForTheFirstTimeLeavesItStartingAndTheNextCommandWorks() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);\n");
        // As a terminal does: pgshift leads its own process group, and Ctrl-C signals the whole group.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("pgshift.jar", "target/pgshift.jar")).toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder("setsid", java, "-jar", jar, "apply").directory(db.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("DATABASE_URL");
        Process group = pb.start();
        await("pgshift starts the embedded server (initdb, first start)").atMost(START)
                .pollInterval(Duration.ofMillis(20)).until(() -> starter().isPresent());
        new ProcessBuilder("kill", "-INT", "--", "-" + group.pid()).inheritIO().start().waitFor();
        Cli.Result interrupted = Cli.finish(group);

        assertThat(interrupted.code()).as(interrupted.toString()).isEqualTo(130);
        assertThat(interrupted.err()).doesNotContain("Exception");
        await("the server finishes starting: the Ctrl-C did not reach it").atMost(START)
                .until(() -> postmaster().isPresent() && starter().isEmpty());
        assertThat(db.tableExists("ok")).isFalse();

        Cli.Result apply = Cli.run(db.workDir(), "apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        Cli.Result status = Cli.run(db.workDir(), "status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("1 +ok +applied");
        awaitNoServer();
    }

    @Test
    void aWatchAndAShellInTwoTerminalsShareOneServerAndTheLastOneStopsIt() throws Exception {
        db.write("1_first.sql", "create table first (id int);\n");
        Process watch = Cli.start(db.workDir(), Map.of(), "watch", "--settle", "50");
        try {
            await("the watch applies 1_first.sql").atMost(START).pollInterval(Duration.ofSeconds(1))
                    .until(() -> shell("status --check\n").code() == 0);
            long serverPid = postmaster().orElseThrow().pid();

            db.write("2_second.sql", "create table second (id int);\n");
            await("the watch applies 2_second.sql while shells come and go").atMost(START).pollInterval(Duration.ofSeconds(1))
                    .until(() -> shell("status\n").out().matches("(?s).*2 +second +applied.*"));
            assertThat(postmaster().orElseThrow().pid()).as("one server all along").isEqualTo(serverPid);
            assertThat(watch.isAlive()).isTrue();
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(watch.pid())).inheritIO().start().waitFor();
        }
        Cli.Result watched = Cli.finish(watch);
        assertThat(watched.code()).as(watched.toString()).isZero();
        awaitNoServer();
    }

    private Cli.Result shell(String lines) throws Exception {
        return Cli.finish(Cli.startWithInput(db.workDir(), Map.of(), lines));
    }

    @Test
    void aStalePostmasterPidNamingAnotherLiveProcessIsReplaced() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);\n");
        assertThat(Cli.run(db.workDir(), "apply").code()).isZero();
        awaitNoServer();
        Process other = new ProcessBuilder("cat").start(); // a live process that is not PostgreSQL
        try {
            Files.writeString(data().resolve("postmaster.pid"), other.pid() + "\n" + data() + "\n1700000000\n1\n/tmp\n"
                    + "localhost\n  1234   5678\nready   \n");
            Cli.Result status = Cli.run(db.workDir(), "status", "--check");
            assertThat(status.code()).as(status.toString()).isZero();
            assertThat(status.out()).containsPattern("1 +ok +applied");
        } finally {
            other.destroy();
        }
        awaitNoServer();
    }

    @Test
    void dataFromAnotherPostgresqlVersionIsKeptAndTheMessageSaysToSaveACopyFirst() throws Exception {
        assertThat(Cli.run(db.workDir(), "status").code()).isZero();
        awaitNoServer();
        Files.writeString(data().resolve("PG_VERSION"), "11\n");

        Cli.Result status = Cli.run(db.workDir(), "status");
        assertThat(status.code()).as(status.toString()).isEqualTo(3);
        assertThat(status.err()).contains("The embedded PostgreSQL cannot use the data in " + data())
                .contains("database files are incompatible with server")
                .contains("Keep a copy of it first (mv " + data() + " " + data() + ".saved");
        assertThat(data().resolve("base")).as("nothing deleted").isDirectory();
    }

    @Test
    void aServerThatFailsToStartForAnotherReasonKeepsItsDataAndNothingSaysToDeleteIt() throws Exception {
        assertThat(Cli.run(db.workDir(), "status").code()).isZero();
        awaitNoServer();
        Files.writeString(data().resolve("postgresql.conf"), "\nshared_buffers = 'lots'\n", StandardOpenOption.APPEND);

        Cli.Result status = Cli.run(db.workDir(), "status");
        assertThat(status.code()).as(status.toString()).isEqualTo(3);
        assertThat(status.err()).contains("The embedded PostgreSQL in " + db.workDir().resolve(".pgshift") + " did not start")
                .contains("shared_buffers").contains(db.workDir().resolve(".pgshift/server.log").toString())
                .contains("is kept as it is").doesNotContainIgnoringCase("delete").doesNotContain("mv ", "rm ");
        List<String> left = new ArrayList<>();
        try (var files = Files.list(data())) {
            files.forEach(f -> left.add(f.getFileName().toString()));
        }
        assertThat(left).contains("PG_VERSION", "base", "global");
    }

    /** The packaged jar running {@code args} in the test's folder, its stderr in {@code err} (readable while it runs). */
    private Process startWithErrIn(Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("pgshift.jar", "target/pgshift.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(db.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().remove("DATABASE_URL");
        return pb.start();
    }

    @Test
    void twoFirstStartsAtOnceMakeOneDatabaseBothUse() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);\n");
        Path home = Files.createDirectories(db.workDir().resolve(".pgshift"));
        Path errA = db.workDir().resolve("a.err");
        Path errB = db.workDir().resolve("b.err");
        Process a;
        Process b;
        // Both wait for the start lock the test holds, then start together on a folder with no data yet.
        try (var channel = java.nio.channels.FileChannel.open(home.resolve("start.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var held = channel.lock()) {
            a = startWithErrIn(errA, "apply");
            b = startWithErrIn(errB, "status");
            for (Path err : List.of(errA, errB)) {
                await("both wait for the start lock").atMost(START)
                        .until(() -> Files.readString(err).contains("Waiting up to 150 s for another pgshift to finish "
                                + "starting or stopping the embedded PostgreSQL in " + home));
            }
            assertThat(starter()).as("nothing starts while the lock is held").isEmpty();
        }
        assertThat(a.waitFor(180, java.util.concurrent.TimeUnit.SECONDS) && b.waitFor(180, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        assertThat(a.exitValue()).as(Files.readString(errA)).isZero();
        assertThat(b.exitValue()).as(Files.readString(errB)).isZero();
        assertThat(Files.readString(home.resolve("server.log"))).as("one initdb").containsOnlyOnce("Success. You can now start");
        awaitNoServer();
    }

    @Test
    void aServerThatWasKilledIsStartedAgainByTheNextCommand() throws Exception {
        db.write("1_ok.sql", "create table ok (id int);\n");
        assertThat(Cli.run(db.workDir(), "apply").code()).isZero();
        try (pgshift.db.EmbeddedServer server = pgshift.db.EmbeddedServer.start(db.workDir().resolve(".pgshift"))) {
            long pid = Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9: postmaster.pid stays behind
            await("the server is gone").atMost(Duration.ofSeconds(60)).until(() -> postmaster().isEmpty());
            assertThat(data().resolve("postmaster.pid")).exists();
        }
        Cli.Result status = Cli.run(db.workDir(), "status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("1 +ok +applied");
        awaitNoServer();
    }
}
